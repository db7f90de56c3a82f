"""The receipt and the certificates/reports of the Khidmat Markaz as PDFs in English and Urdu, with QR codes."""

from __future__ import annotations

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from casp.pdf import html_to_pdf, pdf_context
from khidmat.models import Application, Certificate


def certificate_verify_url(certificate: Certificate, request: HttpRequest | None = None) -> str:
    path = reverse("khidmat:verify", args=[certificate.verify_key])
    return request.build_absolute_uri(path) if request is not None else path


def receipt_html(application: Application, *, lang: str, request: HttpRequest | None = None) -> str:
    """Return the receipt's HTML: tracking number, fee, documents received, promised date, where to track it."""
    path = reverse("khidmat:track")
    track_url = request.build_absolute_uri(path) if request is not None else path
    with translation.override(lang):
        return render_to_string(
            "khidmat/receipt_pdf.html", {"a": application, "track_url": track_url, **pdf_context(lang=lang)}
        )


def certificate_html(certificate: Certificate, *, lang: str, request: HttpRequest | None = None) -> str:
    url = certificate_verify_url(certificate, request)
    with translation.override(lang):
        return render_to_string(
            "khidmat/certificate_pdf.html",
            {"c": certificate, "a": certificate.application, **pdf_context(lang=lang, qr_url=url)},
        )


def receipt_pdf(application: Application, *, lang: str, request: HttpRequest | None = None) -> bytes:
    return html_to_pdf(receipt_html(application, lang=lang, request=request))


def certificate_pdf(certificate: Certificate, *, lang: str, request: HttpRequest | None = None) -> bytes:
    return html_to_pdf(certificate_html(certificate, lang=lang, request=request))
