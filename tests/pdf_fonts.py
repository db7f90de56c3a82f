"""Check what a PDF draws, not only its text layer: which font each glyph is drawn with, and whether that
font has the character. A text layer can be right while the glyphs are wrong: the Urdu FIR copy once had
"1/2026" in its text layer but drew the digits with a Nastaliq subset that had none.

WeasyPrint embeds subsets that keep the original glyph ids, so a drawn glyph id can be compared with the
glyph the vendored font's cmap gives for the character."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from io import BytesIO
from pathlib import Path

from fontTools.ttLib import TTFont
from pypdf import PdfReader
from pypdf.generic import ContentStream

FONT_DIR = Path(__file__).resolve().parent.parent / "static" / "vendor" / "fonts"


@dataclass(frozen=True)
class Glyph:
    font: str  # PostScript name of the embedded font, subset prefix removed
    gid: int
    text: str  # what the ToUnicode map says the glyph stands for
    embedded: TTFont


@cache
def vendored_fonts() -> dict[str, TTFont]:
    """Return the vendored TrueType fonts by PostScript name."""
    fonts = {}
    for path in FONT_DIR.rglob("*.ttf"):
        font = TTFont(path)
        fonts[font["name"].getDebugName(6)] = font
    return fonts


def _to_unicode(cmap: bytes) -> dict[int, str]:
    def text(hexa: bytes) -> str:
        return bytes.fromhex(hexa.decode()).decode("utf-16-be")

    mapping: dict[int, str] = {}
    for block in re.findall(rb"beginbfchar(.*?)endbfchar", cmap, re.S):
        for code, value in re.findall(rb"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]*)>", block):
            mapping[int(code, 16)] = text(value)
    for block in re.findall(rb"beginbfrange(.*?)endbfrange", cmap, re.S):
        for start, end, value in re.findall(rb"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>", block):
            first = int(value, 16)
            for offset, code in enumerate(range(int(start, 16), int(end, 16) + 1)):
                mapping[code] = chr(first + offset)
    return mapping


def drawn_glyphs(pdf: bytes, page: int = 0) -> list[Glyph]:
    """Return every glyph drawn on ``page`` (Type0/Identity-H fonts, as WeasyPrint writes them)."""
    reader = PdfReader(BytesIO(pdf))
    pdf_page = reader.pages[page]
    fonts = {}
    for key, ref in pdf_page["/Resources"]["/Font"].items():
        font = ref.get_object()
        assert font["/Subtype"] == "/Type0" and font["/Encoding"] == "/Identity-H", font
        descendant = font["/DescendantFonts"][0].get_object()
        embedded = TTFont(BytesIO(descendant["/FontDescriptor"]["/FontFile2"].get_data()))
        name = str(font["/BaseFont"]).lstrip("/").split("+", 1)[-1]
        fonts[key] = (embedded["name"].getDebugName(6) or name, embedded, _to_unicode(font["/ToUnicode"].get_data()))
    glyphs = []
    current = None
    for operands, operator in ContentStream(pdf_page.get_contents(), reader).operations:
        if operator == b"Tf":
            current = fonts[operands[0]]
        elif operator in (b"Tj", b"TJ"):
            strings = operands[0] if operator == b"TJ" else operands
            for item in strings:
                if isinstance(item, (int, float)):
                    continue
                raw = item.original_bytes if hasattr(item, "original_bytes") else bytes(item)
                for i in range(0, len(raw), 2):
                    gid = int.from_bytes(raw[i : i + 2], "big")
                    glyphs.append(Glyph(current[0], gid, current[2].get(gid, ""), current[1]))
    return glyphs


MIRRORED = dict(zip("()[]{}<>«»", ")(][}{><»«", strict=True))


def _is_arabic_script(char: str) -> bool:
    return unicodedata.bidirectional(char) in ("AL", "R", "NSM") or "\u200c" <= char <= "\u200f"


def font_problems(pdf: bytes, page: int = 0) -> list[str]:
    """Return a sentence for each glyph on ``page`` drawn with a font that lacks its character."""
    problems = []
    vendored = vendored_fonts()
    for glyph in drawn_glyphs(pdf, page):
        source = vendored.get(glyph.font)
        if source is None:
            problems.append(f"{glyph.text!r} drawn with {glyph.font}, which is not a vendored font")
            continue
        if glyph.gid == 0:
            problems.append(f"{glyph.text!r} drawn as .notdef in {glyph.font}")
            continue
        outline = glyph.embedded["glyf"][glyph.embedded.getGlyphOrder()[glyph.gid]]
        if glyph.text.strip() and outline.numberOfContours == 0 and not all(_is_arabic_script(c) for c in glyph.text):
            problems.append(f"{glyph.text!r} drawn as an empty glyph in {glyph.font}")
        cmap = source.getBestCmap()
        missing = [c for c in glyph.text if ord(c) not in cmap]
        if missing:
            problems.append(f"{''.join(missing)!r} is not in {glyph.font}")
        elif len(glyph.text) == 1 and not _is_arabic_script(glyph.text) and glyph.text.strip():
            # Outside Arabic script nothing changes a character's shape in these fonts: the glyph drawn
            # must be the one the font's cmap gives for it.
            # Brackets in a right-to-left run are drawn mirrored (Unicode bidi mirroring).
            expected = {source.getGlyphID(cmap[ord(c)]) for c in (glyph.text, MIRRORED.get(glyph.text, "")) if c}
            if glyph.gid not in expected:
                problems.append(f"{glyph.text!r} drawn with glyph {glyph.gid} of {glyph.font}, not {min(expected)}")
    return problems
