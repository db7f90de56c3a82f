"""The FIR copy the complainant receives: a PDF in English or Urdu (WeasyPrint) with a QR code to the
public verification page. Urdu is laid out right-to-left in Noto Nastaliq Urdu; digits, CNICs, dates and
Latin text are drawn in Noto Sans, in left-to-right runs (both fonts full, vendored in static/vendor/fonts)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import segno
from django.conf import settings
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from PIL import ImageFile

from fir.models import Fir
from fir.verification import fir_token

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


# Type size (pt), line height and cell padding (mm). Nastaliq needs tall lines; when the Urdu copy would
# take more pages than the English one it is set again, tighter, down to the last of these.
ENGLISH_STYLE = {"size": 10, "leading": 1.4, "padding": 1.5}
URDU_STYLES = (
    {"size": 9.5, "leading": 1.95, "padding": 0.6},
    {"size": 9, "leading": 1.8, "padding": 0.4},
    {"size": 8.5, "leading": 1.65, "padding": 0.3},
)


def fir_verify_url(fir: Fir, request: HttpRequest | None = None) -> str:
    path = reverse("fir:verify", args=[fir_token(fir)])
    return request.build_absolute_uri(path) if request is not None else path


def fir_copy_html(fir: Fir, *, lang: str, request: HttpRequest | None = None, style: dict | None = None) -> str:
    """Return the HTML of ``fir``'s copy in ``lang`` ("en" or "ur"). Expects fir_get_for_user's prefetches."""
    url = fir_verify_url(fir, request)
    qr = segno.make(url, error="m").svg_data_uri(scale=3)
    with translation.override(lang):
        html = render_to_string(
            "fir/copy_pdf.html",
            {
                "fir": fir,
                "qr": qr,
                "verify_url": url,
                "rtl": lang == "ur",
                "lang": lang,
                "nastaliq": {weight: path.as_uri() for weight, path in NASTALIQ.items()},
                "sans": {weight: path.as_uri() for weight, path in SANS.items()},
                "nastaliq_range": nastaliq_unicode_range(),
                "style": style or (URDU_STYLES[0] if lang == "ur" else ENGLISH_STYLE),
            },
        )
    return html


def fir_copy_pdf(fir: Fir, *, lang: str, request: HttpRequest | None = None) -> bytes:
    """Return the PDF bytes of ``fir``'s copy in ``lang`` ("en" or "ur").

    The Urdu copy takes no more pages than the English one where a tighter setting achieves it: it is
    laid out again in the next of URDU_STYLES while it is longer (each layout takes about a second)."""
    import weasyprint  # imported on first use: it parses its default stylesheets at import

    # Importing WeasyPrint sets Pillow's process-wide LOAD_TRUNCATED_IMAGES = True, which would
    # make casp.uploads accept damaged photos afterwards; put Pillow's safe default back.
    ImageFile.LOAD_TRUNCATED_IMAGES = False

    def layout(language: str, style: dict | None = None) -> weasyprint.Document:
        html = fir_copy_html(fir, lang=language, request=request, style=style)
        return weasyprint.HTML(string=html, base_url=str(settings.BASE_DIR)).render()

    if lang != "ur":
        return layout(lang).write_pdf()
    english_pages = len(layout("en").pages)
    for style in URDU_STYLES:
        document = layout(lang, style)
        if len(document.pages) <= english_pages:
            break
    return document.write_pdf()
