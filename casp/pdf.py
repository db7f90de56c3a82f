"""HTML to PDF with WeasyPrint, and the fonts and QR codes the printed documents share (FIR copy, Khidmat)."""

from __future__ import annotations

from typing import Any

import segno
from django.conf import settings
from PIL import ImageFile

FONT_DIR = settings.BASE_DIR / "static" / "vendor" / "fonts" / "noto-nastaliq-urdu"


def pdf_context(*, lang: str, qr_url: str | None = None) -> dict[str, Any]:
    """Return the template context every printed document needs: direction, Urdu fonts, the QR code."""
    context: dict[str, Any] = {
        "rtl": lang == "ur",
        "lang": lang,
        "font_regular": (FONT_DIR / "noto-nastaliq-urdu-arabic-400-normal.woff").as_uri(),
        "font_bold": (FONT_DIR / "noto-nastaliq-urdu-arabic-700-normal.woff").as_uri(),
    }
    if qr_url is not None:
        context["qr"] = segno.make(qr_url, error="m").svg_data_uri(scale=3)
        context["verify_url"] = qr_url
    return context


def html_to_pdf(html: str) -> bytes:
    """Return the PDF bytes of ``html`` (files referenced relative to the project folder)."""
    import weasyprint  # imported on first use: it parses its default stylesheets at import

    # Importing WeasyPrint sets Pillow's process-wide LOAD_TRUNCATED_IMAGES = True, which would
    # make casp.uploads accept damaged photos afterwards; put Pillow's safe default back.
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    return weasyprint.HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()
