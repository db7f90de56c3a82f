"""Face encodings and face search.

``encode_face`` turns an image into one 128-d encoding with face_recognition
(HOG detector, no upsampling, image shrunk to at most 1024 px: ~60 ms here).
``face_search`` returns the records whose photos lie within the tolerance of an
encoding, nearest first: candidates for a human to review, never an
identification. Both are pure functions with no user, usable from a Celery
worker (Hotel Eye calls them).

Search backend (settings.FACE_SEARCH_BACKEND), chosen by measurement
(docs/cro.md, bench/bench_cro.py): "memory" keeps a float32 copy of
``cro_faceencoding`` in the process and does an exact matrix-vector product
(recall 1.0 by construction, ~6 ms at 524,030 encodings); before each search
one indexed query loads rows newer than the copy (FaceIndexState.version), and
the hits are confirmed against the table, which stays the source of truth.
"hnsw" asks pgvector's HNSW index with iterative scan instead.
"""

from __future__ import annotations

import io
import json
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from django.conf import settings
from django.db import connection, transaction
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from cro.models import FACE_DIMENSIONS

MAX_ENCODE_SIDE = 1024


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


# --- in-memory exact index ----------------------------------------------------------------------

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


@dataclass
class MemoryFaceIndex:
    """An exact index over a float32 copy of an encodings table, refreshed by version before each search."""

    table: str = "cro_faceencoding"
    state_table: str | None = "cro_faceindexstate"
    ids: np.ndarray = field(default_factory=lambda: np.empty(0, np.int64))
    record_ids: np.ndarray = field(default_factory=lambda: np.empty(0, np.int64))
    photo_ids: np.ndarray = field(default_factory=lambda: np.empty(0, np.int64))
    matrix: np.ndarray = field(default_factory=lambda: np.empty((0, FACE_DIMENSIONS), np.float32))
    norms: np.ndarray = field(default_factory=lambda: np.empty(0, np.float32))
    size: int = 0
    version: int = -1
    loaded_at: float = 0.0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def _copy_rows(self, where: str, params: Sequence[object]) -> np.ndarray:
        sql = (
            f"COPY (SELECT id::int8, record_id::int8, photo_id::int8, version::int8, embedding "  # noqa: S608
            f"FROM {self.table} {where}) TO STDOUT (FORMAT BINARY)"
        )
        buf = io.BytesIO()
        with connection.cursor() as cursor:
            raw = cursor.cursor  # psycopg 3 cursor
            with raw.copy(sql, params) as copy:
                for chunk in copy:
                    buf.write(chunk)
        data = buf.getbuffer()
        body = data[_COPY_HEADER : len(data) - 2]  # strip header and the -1 trailer
        return np.frombuffer(body, dtype=_ROW)

    def _current_version(self) -> int:
        if self.state_table is None:
            return 0
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT coalesce(max(version), 0) FROM {self.state_table}")  # noqa: S608
            return int(cursor.fetchone()[0])

    def _reserve(self, extra: int) -> None:
        need = self.size + extra
        if need <= len(self.ids):
            return
        cap = max(need, int(len(self.ids) * 1.5) + 1024)
        for name in ("ids", "record_ids", "photo_ids", "norms"):
            old = getattr(self, name)
            new = np.zeros(cap, old.dtype)
            new[: self.size] = old[: self.size]
            setattr(self, name, new)
        matrix = np.zeros((cap, FACE_DIMENSIONS), np.float32)
        matrix[: self.size] = self.matrix[: self.size]
        self.matrix = matrix

    def _apply(self, rows: np.ndarray) -> None:
        if not len(rows):
            return
        known = np.isin(rows["id"], self.ids[: self.size]) if self.size else np.zeros(len(rows), bool)
        for row_index in np.flatnonzero(known):  # an updated row (a merge moved it): replace in place
            pos = int(np.flatnonzero(self.ids[: self.size] == rows["id"][row_index])[0])
            self.record_ids[pos] = rows["record_id"][row_index]
            self.photo_ids[pos] = rows["photo_id"][row_index]
            self.matrix[pos] = rows["vec"][row_index]
            self.norms[pos] = float(np.dot(self.matrix[pos], self.matrix[pos]))
        add = rows[~known]
        self._reserve(len(add))
        start, end = self.size, self.size + len(add)
        self.ids[start:end] = add["id"]
        self.record_ids[start:end] = add["record_id"]
        self.photo_ids[start:end] = add["photo_id"]
        self.matrix[start:end] = add["vec"].astype(np.float32)
        self.norms[start:end] = np.einsum("ij,ij->i", self.matrix[start:end], self.matrix[start:end])
        self.size = end

    def load_full(self) -> None:
        """(Re)load the whole table: one COPY, parsed by NumPy without a Python loop."""
        with transaction.atomic():
            version = self._current_version()
            rows = self._copy_rows("", [])
        self.size = 0
        self.ids = np.empty(0, np.int64)
        self._reserve(len(rows))
        self._apply(rows)
        self.version = version
        self.loaded_at = time.monotonic()

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
            rows = self._copy_rows("WHERE version > %s", [self.version])
        self._apply(rows)
        self.version = version

    def nearest(self, query: np.ndarray, *, limit: int, tolerance: float) -> list[FaceCandidate]:
        """Return up to ``limit`` (record, photo, distance), one per record, within ``tolerance``, nearest first."""
        if self.size == 0:
            return []
        matrix = self.matrix[: self.size]
        q = np.asarray(query, dtype=np.float32)
        d2 = self.norms[: self.size] - 2.0 * (matrix @ q) + float(np.dot(q, q))
        # A small margin for float32 rounding; exact distances are recomputed below.
        hits = np.flatnonzero(d2 <= (tolerance + 1e-4) ** 2)
        if not len(hits):
            return []
        exact = np.linalg.norm(matrix[hits].astype(np.float64) - np.asarray(query, np.float64), axis=1)
        order = np.argsort(exact, kind="stable")
        out: list[FaceCandidate] = []
        seen: set[int] = set()
        for k in order:
            if exact[k] > tolerance:
                break
            pos = hits[k]
            record_id = int(self.record_ids[pos])
            if record_id in seen:
                continue
            seen.add(record_id)
            out.append(FaceCandidate(record_id, int(self.photo_ids[pos]), float(exact[k])))
            if len(out) >= limit * 3:
                break
        return out


_INDEX = MemoryFaceIndex()


def _confirm(
    candidates: list[FaceCandidate], limit: int, table: str = "cro_faceencoding", state_table: str | None = None
) -> tuple[list[FaceCandidate], int]:
    """Keep candidates whose encoding still exists, following merges to the surviving record.

    Also return the current index version (0 without ``state_table``): one round trip for both,
    so a search that finds nothing new costs a single query.
    """
    version_sql = f"(SELECT coalesce(max(version), 0) FROM {state_table})" if state_table else "0"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {version_sql}, (SELECT coalesce(json_agg(json_build_array(e.photo_id, "  # noqa: S608
            f"coalesce(r.merged_into_id, r.id))), '[]') FROM {table} e "
            "JOIN cro_criminalrecord r ON r.id = e.record_id WHERE e.photo_id = ANY(%s))",
            [[c.photo_id for c in candidates]],
        )
        version, pairs = cursor.fetchone()
    live = {int(photo): int(record) for photo, record in (json.loads(pairs) if isinstance(pairs, str) else pairs)}
    out: list[FaceCandidate] = []
    seen: set[int] = set()
    for c in candidates:
        record_id = live.get(c.photo_id)
        if record_id is None or record_id in seen:
            continue
        seen.add(record_id)
        out.append(FaceCandidate(record_id, c.photo_id, c.distance))
    return out[:limit], int(version)


def hnsw_nearest(
    query: Sequence[float], *, limit: int, tolerance: float, table: str = "cro_faceencoding", ef_search: int = 0
) -> list[FaceCandidate]:
    """Return candidates from pgvector's HNSW index (iterative scan) within ``tolerance``, one per record."""
    ef = ef_search or settings.FACE_HNSW_EF_SEARCH
    vector = "[" + ",".join(f"{float(x):.7g}" for x in query) + "]"
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
    settings.FACE_TOLERANCE. Runs two small queries (version check and
    confirmation) with the memory backend; loads the table on first use.
    """
    if len(encoding) != FACE_DIMENSIONS:
        raise ValueError(f"A face encoding has {FACE_DIMENSIONS} numbers; got {len(encoding)}.")
    tol = settings.FACE_TOLERANCE if tolerance is None else float(tolerance)
    if settings.FACE_SEARCH_BACKEND == "hnsw":
        return _confirm(hnsw_nearest(encoding, limit=limit * 2, tolerance=tol), limit)[0]
    return memory_search(_INDEX, encoding, limit=limit, tolerance=tol)


def memory_search(
    index: MemoryFaceIndex, encoding: Sequence[float], *, limit: int, tolerance: float
) -> list[FaceCandidate]:
    """Search ``index`` exactly and confirm the hits against its table.

    The confirmation query also returns the table's version; when rows were
    written since the copy was made, the copy loads them and the search runs
    again, so a search never misses an encoding committed before it began.
    """
    query = np.asarray(encoding, np.float32)
    with index.lock:
        if index.version < 0 or time.monotonic() - index.loaded_at > settings.FACE_INDEX_MAX_AGE:
            index.load_full()
        searched_at = index.version
        found = index.nearest(query, limit=limit * 2, tolerance=tolerance)
    confirmed, version = _confirm(found, limit, index.table, index.state_table)
    if version != searched_at:
        with index.lock:
            index.refresh()
            found = index.nearest(query, limit=limit * 2, tolerance=tolerance)
        confirmed, _version = _confirm(found, limit, index.table, index.state_table)
    return confirmed


def face_index_reset() -> None:
    """Drop this process's in-memory copy (the next search reloads it); tests use it between databases."""
    with _INDEX.lock:
        _INDEX.version = -1
        _INDEX.size = 0
