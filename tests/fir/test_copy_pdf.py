from __future__ import annotations

import re
import zlib

import pytest
from django.urls import reverse

from casp.models import AuditEvent
from fir.pdf import fir_copy_html
from fir.selectors import fir_get_for_user
from fir.verification import fir_token
from tests.fir.factories import register

pytestmark = pytest.mark.django_db


def _pdf_objects(pdf: bytes) -> bytes:
    """Return the PDF with its compressed streams inflated (annotations live in object streams)."""
    parts = [pdf]
    for stream in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        try:
            parts.append(zlib.decompress(stream))
        except zlib.error:
            continue
    return b"\n".join(parts)


@pytest.mark.parametrize("lang", ["en", "ur"])
def test_fir_copy_pdf_links_to_the_signed_verification_page(client_a, station_a, officer_a, lang):
    fir = register(station_a, officer_a)
    response = client_a.get(reverse("fir:copy", args=[fir.pk, lang]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    pdf = _pdf_objects(response.content)
    # The verification link (also in the QR code) is a link annotation, stored uncompressed.
    assert f"/fir/verify/{fir_token(fir)}/".encode() in pdf
    if lang == "ur":
        assert b"Noto-Nastaliq-Urdu" in pdf  # the Urdu copy embeds Noto Nastaliq Urdu
    assert AuditEvent.objects.filter(action="fir.copy_printed", target_id=str(fir.pk)).exists()


def test_urdu_copy_is_right_to_left_with_urdu_labels(station_a, officer_a):
    fir = fir_get_for_user(officer_a, register(station_a, officer_a).pk)
    urdu = fir_copy_html(fir, lang="ur")
    english = fir_copy_html(fir, lang="en")
    assert 'dir="rtl"' in urdu and 'dir="ltr"' in english
    assert "First Information Report" in english and "ابتدائی اطلاعی رپورٹ" in urdu
    assert "چوری" in urdu  # section titles in Urdu
    assert "data:image/svg+xml" in urdu  # the QR code


def test_printing_a_copy_leaves_pillow_refusing_truncated_images(station_a, officer_a):
    from PIL import ImageFile

    from fir.pdf import fir_copy_pdf

    fir_copy_pdf(fir_get_for_user(officer_a, register(station_a, officer_a).pk), lang="en")
    assert ImageFile.LOAD_TRUNCATED_IMAGES is False
