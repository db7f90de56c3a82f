"""The FIR copy the complainant receives: a PDF in English or Urdu (WeasyPrint) with a QR code to the
public verification page. Urdu is laid out right-to-left in Noto Nastaliq Urdu; digits, CNICs, dates and
Latin text are drawn in Noto Sans, in left-to-right runs (casp.pdf)."""

from __future__ import annotations

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from casp.pdf import html_to_document, pdf_context
from fir.models import Fir
from fir.verification import fir_token

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
    context = {
        "fir": fir,
        **pdf_context(lang=lang, qr_url=fir_verify_url(fir, request)),
        "style": style or (URDU_STYLES[0] if lang == "ur" else ENGLISH_STYLE),
    }
    with translation.override(lang):
        return render_to_string("fir/copy_pdf.html", context)


def fir_copy_pdf(fir: Fir, *, lang: str, request: HttpRequest | None = None) -> bytes:
    """Return the PDF bytes of ``fir``'s copy in ``lang`` ("en" or "ur").

    The Urdu copy takes no more pages than the English one where a tighter setting achieves it: it is
    laid out again in the next of URDU_STYLES while it is longer (each layout takes about a second)."""

    def layout(language: str, style: dict | None = None):  # noqa: ANN202
        return html_to_document(fir_copy_html(fir, lang=language, request=request, style=style))

    if lang != "ur":
        return layout(lang).write_pdf()
    english_pages = len(layout("en").pages)
    for style in URDU_STYLES:
        document = layout(lang, style)
        if len(document.pages) <= english_pages:
            break
    return document.write_pdf()
