"""The FIR copy the complainant receives: a PDF in English or Urdu (WeasyPrint) with a QR code to the
public verification page. Urdu is laid out right-to-left in Noto Nastaliq Urdu (served locally)."""

from __future__ import annotations

import segno
from django.conf import settings
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from PIL import ImageFile

from fir.models import Fir
from fir.verification import fir_token

FONT_DIR = settings.BASE_DIR / "static" / "vendor" / "fonts" / "noto-nastaliq-urdu"


def fir_verify_url(fir: Fir, request: HttpRequest | None = None) -> str:
    path = reverse("fir:verify", args=[fir_token(fir)])
    return request.build_absolute_uri(path) if request is not None else path


def fir_copy_html(fir: Fir, *, lang: str, request: HttpRequest | None = None) -> str:
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
                "font_regular": (FONT_DIR / "noto-nastaliq-urdu-arabic-400-normal.woff").as_uri(),
                "font_bold": (FONT_DIR / "noto-nastaliq-urdu-arabic-700-normal.woff").as_uri(),
            },
        )
    return html


def fir_copy_pdf(fir: Fir, *, lang: str, request: HttpRequest | None = None) -> bytes:
    """Return the PDF bytes of ``fir``'s copy in ``lang`` ("en" or "ur")."""
    html = fir_copy_html(fir, lang=lang, request=request)
    import weasyprint  # imported on first use: it parses its default stylesheets at import

    # Importing WeasyPrint sets Pillow's process-wide LOAD_TRUNCATED_IMAGES = True, which would
    # make casp.uploads accept damaged photos afterwards; put Pillow's safe default back.
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    return weasyprint.HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()
