"""The FIR copy the complainant receives: a PDF in English or Urdu (WeasyPrint) with a QR code to the
public verification page. Urdu is laid out right-to-left in Noto Nastaliq Urdu (served locally)."""

from __future__ import annotations

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from casp.pdf import html_to_pdf, pdf_context
from fir.models import Fir
from fir.verification import fir_token


def fir_verify_url(fir: Fir, request: HttpRequest | None = None) -> str:
    path = reverse("fir:verify", args=[fir_token(fir)])
    return request.build_absolute_uri(path) if request is not None else path


def fir_copy_html(fir: Fir, *, lang: str, request: HttpRequest | None = None) -> str:
    """Return the HTML of ``fir``'s copy in ``lang`` ("en" or "ur"). Expects fir_get_for_user's prefetches."""
    with translation.override(lang):
        html = render_to_string(
            "fir/copy_pdf.html", {"fir": fir, **pdf_context(lang=lang, qr_url=fir_verify_url(fir, request))}
        )
    return html


def fir_copy_pdf(fir: Fir, *, lang: str, request: HttpRequest | None = None) -> bytes:
    """Return the PDF bytes of ``fir``'s copy in ``lang`` ("en" or "ur")."""
    return html_to_pdf(fir_copy_html(fir, lang=lang, request=request))
