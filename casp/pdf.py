"""HTML to PDF with WeasyPrint, and the fonts and QR codes the printed documents share (FIR copy, Khidmat).

Urdu is set in Noto Nastaliq Urdu; digits, CNICs, dates and Latin text in Noto Sans, in left-to-right
runs (both fonts full, vendored in static/vendor/fonts). Templates include ``casp/_pdf_fonts.html``.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import segno
from django.conf import settings
from PIL import ImageFile

if TYPE_CHECKING:
    import weasyprint

FONTS = settings.BASE_DIR / "static" / "vendor" / "fonts"
NASTALIQ = {
    400: FONTS / "noto-nastaliq-urdu" / "NotoNastaliqUrdu-Regular.ttf",
    700: FONTS / "noto-nastaliq-urdu" / "NotoNastaliqUrdu-Bold.ttf",
}
SANS = {400: FONTS / "noto-sans" / "NotoSans-Regular.ttf", 700: FONTS / "noto-sans" / "NotoSans-Bold.ttf"}
# Joiners and bidi marks belong to the Arabic-script run they sit in.
_ARABIC_RUN_CONTROLS = {0x200C, 0x200D, 0x200E, 0x200F}


def _cmap(path: Path) -> set[int]:
    from fontTools.ttLib import TTFont

    return set(TTFont(path, lazy=True).getBestCmap())


@cache
def nastaliq_unicode_range() -> str:
    """Return the CSS unicode-range that sends to Nastaliq exactly the characters Noto Sans lacks.

    Latin, digits and common punctuation go to Noto Sans, Arabic script to Nastaliq (whose Latin glyphs
    and digits are of another style; with its Arabic-only subset they were blanks, "؟" and stray glyphs).
    WeasyPrint tells Fontconfig the font covers this range, so the range must lie inside its cmap."""
    nastaliq = _cmap(NASTALIQ[400])
    codepoints = sorted((nastaliq - _cmap(SANS[400])) | (nastaliq & _ARABIC_RUN_CONTROLS))
    ranges: list[list[int]] = []
    for cp in codepoints:
        if ranges and cp == ranges[-1][1] + 1:
            ranges[-1][1] = cp
        else:
            ranges.append([cp, cp])
    return ", ".join(f"U+{a:X}" if a == b else f"U+{a:X}-{b:X}" for a, b in ranges)


def pdf_context(*, lang: str, qr_url: str | None = None) -> dict[str, Any]:
    """Return the template context every printed document needs: direction, the fonts, the QR code."""
    context: dict[str, Any] = {
        "rtl": lang == "ur",
        "lang": lang,
        "nastaliq": {weight: path.as_uri() for weight, path in NASTALIQ.items()},
        "sans": {weight: path.as_uri() for weight, path in SANS.items()},
        "nastaliq_range": nastaliq_unicode_range(),
    }
    if qr_url is not None:
        context["qr"] = segno.make(qr_url, error="m").svg_data_uri(scale=3)
        context["verify_url"] = qr_url
    return context


def html_to_document(html: str) -> weasyprint.Document:
    """Return the laid-out WeasyPrint document of ``html`` (its pages can be counted before writing)."""
    import weasyprint  # imported on first use: it parses its default stylesheets at import

    # Importing WeasyPrint sets Pillow's process-wide LOAD_TRUNCATED_IMAGES = True, which would
    # make casp.uploads accept damaged photos afterwards; put Pillow's safe default back.
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    return weasyprint.HTML(string=html, base_url=str(settings.BASE_DIR)).render()


def html_to_pdf(html: str) -> bytes:
    """Return the PDF bytes of ``html`` (files referenced relative to the project folder)."""
    return html_to_document(html).write_pdf()
