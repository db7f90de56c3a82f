"""Face encodings and face search.

``encode_face`` turns an image into one 128-d encoding with face_recognition
(HOG detector, no upsampling, on the image shrunk to 640 px, or 1024 px when no face is found at 640).
``face_search`` returns the records whose photos lie within the tolerance of an
encoding, nearest first: candidates for a human to review, never an
identification. Both are pure functions with no user, usable from a Celery
worker (Hotel Eye calls them).

Search backend (settings.FACE_SEARCH_BACKEND), chosen by measurement
(docs/cro.md, bench/bench_cro.py): "memory" keeps a compact copy of
``cro_faceencoding`` in each searching process that only proposes candidates:
float32 vectors up to FACE_PQ_MIN_ROWS encodings, product-quantised codes
(faiss, 32 bytes per encoding instead of 512) above, whose candidates are
narrowed by 6-bit scalar-quantised codes (96 bytes more): only those that can
still be within the tolerance and among the ``limit`` nearest records go on. The
database then computes their exact distances, follows record merges and returns the index
version in one query; rows newer than the copy (FaceIndexState.version) are
loaded before searching again, so the table stays the source of truth.
"hnsw" asks pgvector's HNSW index with iterative scan instead.
"""

from __future__ import annotations

import ctypes
import io
import json
import threading
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

import numpy as np
from django.conf import settings
from django.db import connection, transaction
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from cro.models import FACE_DIMENSIONS

MAX_ENCODE_SIDE = 1024
# Faces are first looked for on the photo shrunk to DETECT_SIDE (the HOG detector's time grows with the pixels:
# measured ~3-4x less at 640 than at 1024 px); only a photo with no face found there is searched again at
# MAX_ENCODE_SIDE, for a small face. The encoding is computed on the image the face was found in.
DETECT_SIDE = 640


@dataclass(frozen=True)
class FaceEncodingResult:
    status: str  # "ok", "no_face" or "several_faces"
    encoding: list[float] | None
    message: str


@dataclass(frozen=True)
class FaceCandidate:
    record_id: int
    photo_id: int
    distance: float


def _load_rgb(image_bytes: bytes) -> np.ndarray | None:
    try:
        image = Image.open(io.BytesIO(image_bytes))
        image = ImageOps.exif_transpose(image)
        image = image.convert("RGB")
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        return None
    image.thumbnail((MAX_ENCODE_SIDE, MAX_ENCODE_SIDE))
    return np.asarray(image)


def _face_recognition():  # noqa: ANN202
    """Import face_recognition without its side effect: it sets Pillow's LOAD_TRUNCATED_IMAGES globally,
    which would make casp.uploads accept truncated (damaged) uploads in the same process."""
    from PIL import ImageFile

    before = ImageFile.LOAD_TRUNCATED_IMAGES
    import face_recognition

    ImageFile.LOAD_TRUNCATED_IMAGES = before
    return face_recognition


def encode_face(image_bytes: bytes) -> FaceEncodingResult:
    """Return the encoding of the one face in ``image_bytes``, or say why there is none (never raises)."""
    face_recognition = _face_recognition()
    pixels = _load_rgb(image_bytes)
    if pixels is None:
        return FaceEncodingResult("no_face", None, _("The image could not be read, so no face was found."))
    locations = []
    if max(pixels.shape[:2]) > DETECT_SIDE:
        small = Image.fromarray(pixels)
        small.thumbnail((DETECT_SIDE, DETECT_SIDE))
        small_pixels = np.asarray(small)
        locations = face_recognition.face_locations(small_pixels, number_of_times_to_upsample=0, model="hog")
        if locations:
            pixels = small_pixels
    if not locations:
        locations = face_recognition.face_locations(pixels, number_of_times_to_upsample=0, model="hog")
    if not locations:
        return FaceEncodingResult(
            "no_face", None, _("No face was found. Upload a clear, front-facing photo of one person.")
        )
    if len(locations) > 1:
        return FaceEncodingResult(
            "several_faces",
            None,
            _("%(count)d faces were found. Upload a photo that shows only this person.") % {"count": len(locations)},
        )
    encoding = face_recognition.face_encodings(pixels, known_face_locations=locations)[0]
    return FaceEncodingResult("ok", [float(x) for x in encoding], "")


# --- in-memory index ------------------------------------------------------------------------------

# One row of ``COPY (SELECT id, record_id, photo_id, version, embedding) TO STDOUT (FORMAT BINARY)``:
# a field count, then (length, value) per field; pgvector's binary form is dim, unused, floats (big-endian).
_ROW = np.dtype(
    [
        ("nfields", ">i2"),
        ("l0", ">i4"), ("id", ">i8"),
        ("l1", ">i4"), ("record_id", ">i8"),
        ("l2", ">i4"), ("photo_id", ">i8"),
        ("l3", ">i4"), ("version", ">i8"),
        ("l4", ">i4"), ("dim", ">i2"), ("unused", ">i2"), ("vec", ">f4", (FACE_DIMENSIONS,)),
    ]
)  # fmt: skip
_COPY_HEADER = 19  # signature (11) + flags (4) + extension length (4, always 0 here)
_COPY_BATCH_ROWS = 32_768  # rows parsed and added at a time while loading: bounds the loading memory


def _release_freed_memory() -> None:
    """Hand the loading buffers back to the system: glibc keeps freed heap pages in the process otherwise."""
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):  # not glibc: nothing to do
        pass


_FLOAT32_ERROR = 1e-3  # float32 rounding in the exact stage: the database recomputes every distance exactly


@dataclass(frozen=True)
class Refined:
    """One query's candidate positions, nearest first: approximate distances, each within ``error`` of the exact."""

    positions: np.ndarray
    distances: np.ndarray
    error: np.ndarray


class _ExactStage:
    """Float32 copy of every encoding (512 bytes each): exact distances, for small tables."""

    kind = "exact"

    def __init__(self) -> None:
        self.matrix = np.empty((0, FACE_DIMENSIONS), np.float32)
        self.norms = np.empty(0, np.float32)
        self.size = 0

    @property
    def nbytes(self) -> int:
        return self.matrix.nbytes + self.norms.nbytes

    def add(self, vectors: np.ndarray) -> None:
        need = self.size + len(vectors)
        if need > len(self.matrix):
            cap = max(need, int(len(self.matrix) * 1.5) + 1024)
            matrix = np.zeros((cap, FACE_DIMENSIONS), np.float32)
            matrix[: self.size] = self.matrix[: self.size]
            norms = np.zeros(cap, np.float32)
            norms[: self.size] = self.norms[: self.size]
            self.matrix, self.norms = matrix, norms
        self.matrix[self.size : need] = vectors
        self.norms[self.size : need] = np.einsum("ij,ij->i", vectors, vectors)
        self.size = need

    def candidates(self, queries: np.ndarray, *, count: int, tolerance: float, limit: int) -> list[Refined]:
        """Return per query the positions within tolerance, nearest first, and their distances."""
        matrix, norms = self.matrix[: self.size], self.norms[: self.size]
        # One matrix product for the whole batch (one pass over the matrix), not one per query.
        products = matrix @ np.ascontiguousarray(queries, np.float32).T
        out = []
        for j, q in enumerate(queries):
            d2 = norms - 2.0 * products[:, j] + float(np.dot(q, q))
            hits = np.flatnonzero(d2 <= (tolerance + _FLOAT32_ERROR) ** 2)
            hits = hits[np.argsort(d2[hits], kind="stable")][:count]
            distances = np.sqrt(np.maximum(d2[hits], 0.0))
            out.append(Refined(hits, distances, np.full(len(hits), _FLOAT32_ERROR, np.float32)))
        return out

    def trim(self) -> None:
        """Give back the spare capacity kept for appending (after a full load)."""
        self.matrix, self.norms = self.matrix[: self.size].copy(), self.norms[: self.size].copy()


class _QuantisedStage:
    """Product-quantised codes (faiss IndexPQFastScan, 4 bits per sub-vector): 32 bytes per encoding at 64
    sub-vectors, and 6-bit scalar-quantised refining codes (96 bytes) with each encoding's own error bound.

    The fast scan proposes the ``count`` nearest by code; the refining codes narrow them to those that
    can still be within the tolerance, and the database re-ranks what is left exactly. Recall
    against an exact scan is measured in bench_cro.
    """

    kind = "pq"

    def __init__(self, training: np.ndarray) -> None:
        import faiss

        faiss.omp_set_num_threads(settings.FACE_SEARCH_THREADS)
        training = np.ascontiguousarray(training, np.float32)
        self.index = faiss.IndexPQFastScan(FACE_DIMENSIONS, settings.FACE_PQ_SUBVECTORS, 4, faiss.METRIC_L2)
        self.index.train(training)
        # The refining codes: 6-bit scalar quantisation per dimension (96 bytes per encoding), decoded only for
        # the few hundred candidates the fast scan proposes. With each encoding is kept how far its decoded
        # code lies from it (rounded up, float16): by the triangle inequality a refined distance is then
        # within that bound of the exact one, for any query, so the narrowing below loses nothing.
        self.refiner = faiss.IndexScalarQuantizer(FACE_DIMENSIONS, faiss.ScalarQuantizer.QT_6bit, faiss.METRIC_L2)
        self.refiner.train(training)
        self.refine_codes = np.empty((0, self.refiner.sa_code_size()), np.uint8)
        self.refine_error = np.empty(0, np.float16)

    @property
    def size(self) -> int:
        return int(self.index.ntotal)

    @property
    def nbytes(self) -> int:
        return int(self.index.ntotal) * self.index.M // 2 + self.refine_codes.nbytes + self.refine_error.nbytes

    def add(self, vectors: np.ndarray) -> None:
        if not len(vectors):  # faiss crashes on an empty add
            return
        vectors = np.ascontiguousarray(vectors, np.float32)
        start, need = self.size, self.size + len(vectors)
        if need > len(self.refine_codes):
            capacity = max(need, int(len(self.refine_codes) * 1.25) + 1024)
            codes = np.zeros((capacity, self.refine_codes.shape[1]), np.uint8)
            codes[:start] = self.refine_codes[:start]
            error = np.zeros(capacity, np.float16)
            error[:start] = self.refine_error[:start]
            self.refine_codes, self.refine_error = codes, error
        codes = self.refiner.sa_encode(vectors)
        self.refine_codes[start:need] = codes
        bound = np.linalg.norm(self.refiner.sa_decode(codes) - vectors, axis=1).astype(np.float16)
        self.refine_error[start:need] = np.nextafter(bound, np.float16(np.inf))  # rounded up, never under
        self.index.add(vectors)

    def trim(self) -> None:
        """Give back the spare capacity kept for appending (after a full load)."""
        self.refine_codes = self.refine_codes[: self.size].copy()
        self.refine_error = self.refine_error[: self.size].copy()

    def candidates(self, queries: np.ndarray, *, count: int, tolerance: float, limit: int) -> list[Refined]:
        """Return per query the candidates that can be within ``tolerance``, nearest first by refined distance."""
        queries = np.ascontiguousarray(queries, np.float32)
        distances, positions = self.index.search(queries, count)
        # Where the codes fit the encodings, a code's distance is within about 0.12 of the true one
        # (bench_cro measures it), so codes beyond tolerance + FACE_PQ_MARGIN need no closer look. The
        # nearest FACE_PQ_KEEP codes are always looked at: an encoding unlike those the codes were
        # trained on (another camera, another population) can be off by far more, yet still rank first.
        reach = (tolerance + settings.FACE_PQ_MARGIN) ** 2
        keep = np.arange(positions.shape[1]) < settings.FACE_PQ_KEEP
        out = []
        for q, row, dist in zip(queries, positions, distances, strict=True):
            if limit > settings.FACE_WIDE_LIMIT and dist[-1] <= reach:
                # Asked for many records, and even the last of the fast scan's candidates lies within reach, so
                # more may lie beyond them (hundreds of look-alikes): every refining code is read instead.
                out.append(self._refined(q, self._within(q, tolerance), tolerance))
                continue
            proposed = row[(row >= 0) & ((dist <= reach) | keep)]
            out.append(self._refined(q, proposed, tolerance))
        return out

    def _within(self, query: np.ndarray, tolerance: float) -> np.ndarray:
        """Return every position whose refined distance, less its error bound, is within ``tolerance``."""
        found = []
        for start in range(0, self.size, _COPY_BATCH_ROWS):
            decoded = self.refiner.sa_decode(self.refine_codes[start : min(self.size, start + _COPY_BATCH_ROWS)])
            distances = np.sqrt(np.einsum("ij,ij->i", decoded - query, decoded - query))
            error = self.refine_error[start : start + len(distances)].astype(np.float32)
            found.append(start + np.flatnonzero(distances - error <= tolerance))
        return np.concatenate(found) if found else np.empty(0, np.int64)

    def _refined(self, query: np.ndarray, positions: np.ndarray, tolerance: float) -> Refined:
        """Keep the positions that can be within ``tolerance`` (refined distance less its error bound), and
        the FACE_REFINE_KEEP nearest whatever their distance (the same guard as FACE_PQ_KEEP), nearest first."""
        if not len(positions):  # faiss crashes on an empty decode
            return Refined(positions, np.empty(0, np.float32), np.empty(0, np.float32))
        decoded = self.refiner.sa_decode(self.refine_codes[positions])
        distances = np.sqrt(np.einsum("ij,ij->i", decoded - query, decoded - query))
        error = self.refine_error[positions].astype(np.float32)
        order = np.argsort(distances, kind="stable")
        near = distances[order] - error[order] <= tolerance
        near[: settings.FACE_REFINE_KEEP] = True
        chosen = order[near]
        return Refined(positions[chosen], distances[chosen], error[chosen])


@dataclass
class MemoryFaceIndex:
    """A compact in-process index over an encodings table, refreshed by version before each search.

    It only proposes candidates: ``memory_search`` has the database compute their exact
    distances (and follow record merges) in one query, so the table stays the source of
    truth. Up to FACE_PQ_MIN_ROWS encodings are kept as float32 (exact); larger tables as
    product-quantised codes, 64 bytes per encoding instead of 512 (docs/cro.md).
    """

    table: str = "cro_faceencoding"
    state_table: str | None = "cro_faceindexstate"
    ids: np.ndarray = field(default_factory=lambda: np.empty(0, np.int64))
    photo_ids: np.ndarray = field(default_factory=lambda: np.empty(0, np.int64))
    record_ids: np.ndarray = field(default_factory=lambda: np.empty(0, np.int64))
    stage: _ExactStage | _QuantisedStage = field(default_factory=_ExactStage)
    size: int = 0
    version: int = -1
    loaded_at: float = 0.0
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def nbytes(self) -> int:
        """Return the bytes this copy holds (codes or vectors, and the id arrays)."""
        return self.stage.nbytes + self.ids.nbytes + self.photo_ids.nbytes + self.record_ids.nbytes

    def _stream_rows(self, where: str, params: Sequence[object]) -> Iterator[np.ndarray]:
        """Yield the table's rows in batches parsed by NumPy, never holding the whole COPY in memory."""
        sql = (
            f"COPY (SELECT id::int8, record_id::int8, photo_id::int8, version::int8, embedding "  # noqa: S608
            f"FROM {self.table} {where}) TO STDOUT (FORMAT BINARY)"
        )
        batch = _COPY_BATCH_ROWS * _ROW.itemsize
        pending = bytearray()
        header_left = _COPY_HEADER
        with connection.cursor() as cursor, cursor.cursor.copy(sql, params) as copy:
            for chunk in copy:
                pending += chunk
                if header_left:
                    cut = min(header_left, len(pending))
                    del pending[:cut]
                    header_left -= cut
                if len(pending) >= batch:
                    whole = len(pending) // _ROW.itemsize * _ROW.itemsize
                    yield np.frombuffer(bytes(pending[:whole]), dtype=_ROW)
                    del pending[:whole]
        body = bytes(pending[: len(pending) - 2])  # the -1 trailer
        if body:
            yield np.frombuffer(body, dtype=_ROW)

    def _current_version(self) -> int:
        if self.state_table is None:
            return 0
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT coalesce(max(version), 0) FROM {self.state_table}")  # noqa: S608
            return int(cursor.fetchone()[0])

    def _append_ids(self, rows: np.ndarray) -> None:
        need = self.size + len(rows)
        if need > len(self.ids):
            cap = max(need, int(len(self.ids) * 1.25) + 1024)
            for name in ("ids", "photo_ids", "record_ids"):
                old = getattr(self, name)
                new = np.full(cap, -1, np.int64)
                new[: self.size] = old[: self.size]
                setattr(self, name, new)
        self.ids[self.size : need] = rows["id"]
        self.photo_ids[self.size : need] = rows["photo_id"]
        self.record_ids[self.size : need] = rows["record_id"]
        self.size = need

    def _apply(self, rows: np.ndarray, *, fresh: bool = False) -> None:
        """Add rows; a row already held (its embedding or record changed) is retired and added again."""
        if not len(rows):
            return
        if self.size and not fresh:
            known = np.isin(self.ids[: self.size], rows["id"])
            self.photo_ids[: self.size][known] = -1  # retired positions are never proposed
        self.stage.add(rows["vec"].astype(np.float32))
        self._append_ids(rows)

    def load_full(self) -> None:
        """(Re)load the whole table by one streamed binary COPY, in batches (memory stays bounded)."""
        self.size = 0
        self.ids = np.empty(0, np.int64)
        self.photo_ids = np.empty(0, np.int64)
        self.record_ids = np.empty(0, np.int64)
        stage: _ExactStage | _QuantisedStage = _ExactStage()
        with transaction.atomic():
            version = self._current_version()
            for rows in self._stream_rows("", []):
                if stage.kind == "exact" and stage.size + len(rows) > settings.FACE_PQ_MIN_ROWS:
                    # Large table: train the codes on what was read so far plus this batch, then re-add them.
                    held = np.vstack([stage.matrix[: stage.size], rows["vec"].astype(np.float32)])
                    stage = _QuantisedStage(held)
                    stage.add(held[: self.size])
                    del held
                self.stage = stage
                self._apply(rows, fresh=True)
        stage.trim()
        self.ids, self.photo_ids, self.record_ids = (
            a[: self.size].copy() for a in (self.ids, self.photo_ids, self.record_ids)
        )
        self.stage = stage
        self.version = version
        self.loaded_at = time.monotonic()
        _release_freed_memory()

    def refresh(self) -> None:
        """Load rows written since the copy was made (one indexed query when nothing changed)."""
        if self.version < 0 or time.monotonic() - self.loaded_at > settings.FACE_INDEX_MAX_AGE:
            self.load_full()
            return
        if self.state_table is None:
            return
        version = self._current_version()
        if version == self.version:
            return
        with transaction.atomic():
            version = self._current_version()
            for rows in self._stream_rows("WHERE version > %s", [self.version]):
                self._apply(rows)
        self.version = version

    def candidate_photos(self, queries: np.ndarray, *, limit: int, tolerance: float) -> list[list[int]]:
        """Return, per query, the photo ids worth an exact look (never more than FACE_CANDIDATES)."""
        return [p.photos for p in self.proposals(queries, limit=limit, tolerance=tolerance)]

    def proposals(self, queries: np.ndarray, *, limit: int, tolerance: float) -> list[Proposal]:
        """Return, per query, the photos worth an exact look and those left out by the ``limit`` bound."""
        if self.size == 0:
            return [Proposal([], [], float("inf")) for _ in queries]
        count = min(self.size, max(settings.FACE_CANDIDATES, limit * 4))
        out = []
        for found in self.stage.candidates(queries, count=count, tolerance=tolerance, limit=limit):
            live = self.photo_ids[found.positions] >= 0  # retired positions are never proposed
            out.append(
                self._bounded(
                    Refined(found.positions[live], found.distances[live], found.error[live]), limit, tolerance
                )
            )
        return out

    def _bounded(self, found: Refined, limit: int, tolerance: float) -> Proposal:
        """Leave out the candidates that cannot be among the ``limit`` nearest records.

        Each approximate distance d lies within its bound e of the exact one. Once ``limit`` different
        records are surely within the tolerance (d + e <= tolerance), the limit-th nearest record is at
        most U away, the largest d + e among them; a candidate with d - e > U cannot come before it.
        On a crowded query (hundreds of look-alikes within the tolerance) this sends the database
        tens of candidates instead of hundreds. The FACE_REFINE_KEEP nearest always go on.
        """
        upper = found.distances + found.error
        sure = np.flatnonzero(upper <= tolerance)
        sure = sure[np.argsort(upper[sure], kind="stable")]
        _records, first = np.unique(self.record_ids[found.positions[sure]], return_index=True)
        keep = np.ones(len(found.positions), bool)
        if len(first) >= limit:
            keep = found.distances - found.error <= upper[sure[np.sort(first)[limit - 1]]]
            keep[: settings.FACE_REFINE_KEEP] = True
        photos = self.photo_ids[found.positions]
        cut = ~keep
        floor = float((found.distances - found.error)[cut].min()) if cut.any() else float("inf")
        return Proposal([int(p) for p in photos[keep]], [int(p) for p in photos[cut]], floor)


_INDEX = MemoryFaceIndex()


@dataclass(frozen=True)
class Proposal:
    """One query's candidates: ``photos`` for the exact re-rank; ``cut`` left out by the limit bound,
    none of them nearer than ``floor`` (their approximate distance less its error bound)."""

    photos: list[int]
    cut: list[int]
    floor: float


def _vector_literal(values: Sequence[float]) -> str:
    return "[" + ",".join(f"{float(x):.7g}" for x in values) + "]"


def _exact_confirm(
    index: MemoryFaceIndex, queries: np.ndarray, candidates: list[list[int]], *, limit: int, tolerance: float
) -> tuple[list[list[FaceCandidate]], int]:
    """Have the database compute the candidates' exact distances, following merges to the surviving record.

    One query for every search of the batch, which also returns the index version, so a search
    that finds nothing new costs a single round trip. Returns per query up to ``limit`` records
    within ``tolerance``, one per record (its nearest photo), nearest first.
    """
    pairs = [(i, photo) for i, photos in enumerate(candidates) for photo in photos]
    version_sql = (
        f"(SELECT coalesce(max(version), 0) FROM {index.state_table})" if index.state_table else "0"  # noqa: S608
    )
    with connection.cursor() as cursor:
        # Each query vector is parsed once (the MATERIALIZED CTE), not once per candidate row.
        cursor.execute(
            "WITH q AS MATERIALIZED (SELECT (t.n - 1)::int AS i, t.v::vector AS v "  # noqa: S608
            "FROM unnest(%s::text[]) WITH ORDINALITY AS t(v, n)) "
            f"SELECT {version_sql}, (SELECT coalesce(json_agg(json_build_array(c.i, e.photo_id, "
            "coalesce(r.merged_into_id, r.id), e.embedding <-> q.v)), '[]') "
            "FROM unnest(%s::int[], %s::int8[]) AS c(i, photo_id) JOIN q ON q.i = c.i "
            f"JOIN {index.table} e ON e.photo_id = c.photo_id "
            "JOIN cro_criminalrecord r ON r.id = e.record_id "
            "WHERE e.embedding <-> q.v <= %s)",
            [[_vector_literal(q) for q in queries], [i for i, _p in pairs], [p for _i, p in pairs], tolerance],
        )
        version, found = cursor.fetchone()
    rows = json.loads(found) if isinstance(found, str) else found
    rows.sort(key=lambda row: (row[0], row[3]))
    out: list[list[FaceCandidate]] = [[] for _ in queries]
    seen: set[tuple[int, int]] = set()
    for i, photo_id, record_id, distance in rows:
        if (i, record_id) in seen or len(out[i]) >= limit:
            continue
        seen.add((i, record_id))
        out[i].append(FaceCandidate(int(record_id), int(photo_id), float(distance)))
    return out, int(version)


def _confirm(candidates: list[FaceCandidate], limit: int, table: str = "cro_faceencoding") -> list[FaceCandidate]:
    """Keep candidates whose encoding still exists, following merges to the surviving record."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT e.photo_id, coalesce(r.merged_into_id, r.id) FROM {table} e "  # noqa: S608
            "JOIN cro_criminalrecord r ON r.id = e.record_id WHERE e.photo_id = ANY(%s)",
            [[c.photo_id for c in candidates]],
        )
        live = {int(photo): int(record) for photo, record in cursor.fetchall()}
    out: list[FaceCandidate] = []
    seen: set[int] = set()
    for c in candidates:
        record_id = live.get(c.photo_id)
        if record_id is None or record_id in seen:
            continue
        seen.add(record_id)
        out.append(FaceCandidate(record_id, c.photo_id, c.distance))
    return out[:limit]


def hnsw_nearest(
    query: Sequence[float], *, limit: int, tolerance: float, table: str = "cro_faceencoding", ef_search: int = 0
) -> list[FaceCandidate]:
    """Return candidates from pgvector's HNSW index (iterative scan) within ``tolerance``, one per record."""
    ef = ef_search or settings.FACE_HNSW_EF_SEARCH
    vector = _vector_literal(query)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"SET LOCAL hnsw.ef_search = {int(ef)}")
        cursor.execute("SET LOCAL hnsw.iterative_scan = relaxed_order")
        cursor.execute(
            f"SELECT record_id, photo_id, d FROM (SELECT record_id, photo_id, embedding <-> %s::vector AS d "  # noqa: S608
            f"FROM {table} ORDER BY embedding <-> %s::vector LIMIT %s) s WHERE d <= %s ORDER BY d",
            [vector, vector, max(limit * 4, 40), tolerance],
        )
        rows = cursor.fetchall()
    out: list[FaceCandidate] = []
    seen: set[int] = set()
    for record_id, photo_id, distance in rows:
        if record_id not in seen:
            seen.add(record_id)
            out.append(FaceCandidate(int(record_id), int(photo_id), float(distance)))
    return out


def face_search(encoding: Sequence[float], *, limit: int = 10, tolerance: float | None = None) -> list[FaceCandidate]:
    """Return up to ``limit`` records whose photos lie within ``tolerance`` of ``encoding``, nearest first.

    One candidate per record (its nearest photo). ``tolerance`` defaults to
    settings.FACE_TOLERANCE. With the memory backend: one query (exact distances of the
    candidates and the version check); loads this process's copy on first use.
    """
    return face_search_many([encoding], limit=limit, tolerance=tolerance)[0]


def face_search_many(
    encodings: Sequence[Sequence[float]], *, limit: int = 10, tolerance: float | None = None
) -> list[list[FaceCandidate]]:
    """Search several encodings at once (a batch of check-ins): one index pass and one query for all."""
    for encoding in encodings:
        if len(encoding) != FACE_DIMENSIONS:
            raise ValueError(f"A face encoding has {FACE_DIMENSIONS} numbers; got {len(encoding)}.")
    tol = settings.FACE_TOLERANCE if tolerance is None else float(tolerance)
    if not encodings:
        return []
    if settings.FACE_SEARCH_BACKEND == "hnsw":
        return [_confirm(hnsw_nearest(e, limit=limit * 2, tolerance=tol), limit) for e in encodings]
    return memory_search(_INDEX, encodings, limit=limit, tolerance=tol)


def memory_search(
    index: MemoryFaceIndex, encodings: Sequence[Sequence[float]], *, limit: int, tolerance: float
) -> list[list[FaceCandidate]]:
    """Search ``index`` for each encoding; the database re-ranks the candidates exactly.

    The re-ranking query also returns the table's version; when rows were written since the
    copy was made, the copy loads them and the search runs again, so a search never misses an
    encoding committed before it began.
    """
    queries = np.asarray(encodings, np.float32).reshape(-1, FACE_DIMENSIONS)
    with index.lock:
        if index.version < 0 or time.monotonic() - index.loaded_at > settings.FACE_INDEX_MAX_AGE:
            index.load_full()
        searched_at = index.version
        proposed = index.proposals(queries, limit=limit, tolerance=tolerance)
    found, version = _exact_confirm(index, queries, [p.photos for p in proposed], limit=limit, tolerance=tolerance)
    if version != searched_at:
        with index.lock:
            index.refresh()
            proposed = index.proposals(queries, limit=limit, tolerance=tolerance)
        found, _version = _exact_confirm(index, queries, [p.photos for p in proposed], limit=limit, tolerance=tolerance)
    # The limit bound assumes the records it counted stay different records; where merges (or codes off by
    # more than their error) leave a query short or its last answer beyond what was left out, those queries
    # are re-ranked again with every candidate (rare: a second query).
    unsure = [
        i
        for i, (p, hits) in enumerate(zip(proposed, found, strict=True))
        if p.cut and (len(hits) < limit or hits[-1].distance > p.floor)
    ]
    if unsure:
        again, _version = _exact_confirm(
            index, queries[unsure], [proposed[i].photos + proposed[i].cut for i in unsure], limit=limit,
            tolerance=tolerance,
        )  # fmt: skip
        for i, hits in zip(unsure, again, strict=True):
            found[i] = hits
    return found


def face_index_reset() -> None:
    """Drop this process's in-memory copy (the next search reloads it); tests use it between databases."""
    with _INDEX.lock:
        _INDEX.version = -1
        _INDEX.size = 0
        _INDEX.stage = _ExactStage()
        _INDEX.record_ids = np.empty(0, np.int64)
