from __future__ import annotations

import os
import re
import shutil
import subprocess
import zlib
from io import BytesIO

import pytest
from django.urls import reverse
from pypdf import PdfReader

from casp.formats import datetime_text
from casp.models import AuditEvent
from fir.pdf import fir_copy_html, fir_copy_pdf
from fir.selectors import fir_get_for_user
from fir.verification import fir_token
from tests.fir.factories import register
from tests.pdf_fonts import drawn_glyphs, font_problems

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

    fir_copy_pdf(fir_get_for_user(officer_a, register(station_a, officer_a).pk), lang="en")
    assert ImageFile.LOAD_TRUNCATED_IMAGES is False


# --- What the copy draws (not only its text layer) ------------------------------------------------------

URDU_FACTS = " ".join(["دو نامعلوم افراد نے اسلحہ کے زور پر میرا موبائل فون اور نقدی چھین لی۔"] * 6)


def _realistic_fir(station, user):
    """An FIR as the demo files it: Urdu facts of several lines, Latin and Urdu names, two accused."""
    fir = register(
        station,
        user,
        facts=URDU_FACTS,
        accused=[
            {"name": "Bashir Ahmad", "father_name": "Nazir", "cnic": "35202-7654321-3"},
            {"name": "محمد اسلم", "father_name": "عبدالغنی", "cnic": "61101-7654321-5"},
        ],
    )
    return fir_get_for_user(user, fir.pk)


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        if os.environ.get("CI") == "true":
            pytest.fail(f"{name} is missing: .ci/run must apt-get install tesseract-ocr poppler-utils")
        pytest.skip(f"{name} is absent (apt-get install tesseract-ocr poppler-utils)")
    return path


def _page_count(pdf: bytes) -> int:
    return len(PdfReader(BytesIO(pdf)).pages)


@pytest.mark.parametrize("lang", ["en", "ur"])
def test_every_character_of_the_copy_is_drawn_with_a_font_that_has_it(station_a, officer_a, lang):
    pdf = fir_copy_pdf(_realistic_fir(station_a, officer_a), lang=lang)
    fonts = {glyph.font for glyph in drawn_glyphs(pdf)}
    assert "NotoSans-Regular" in fonts  # digits, CNICs, dates and Latin names
    assert ("NotoNastaliqUrdu-Regular" in fonts) and ("DejaVuSans" not in fonts)
    assert font_problems(pdf) == []


def test_urdu_copy_draws_digits_and_latin_names_in_noto_sans(station_a, officer_a):
    glyphs = drawn_glyphs(fir_copy_pdf(_realistic_fir(station_a, officer_a), lang="ur"))
    latin = {glyph.font for glyph in glyphs if glyph.text and glyph.text in "0123456789/-:,MuhamdAsl"}
    assert latin == {"NotoSans-Regular"}


def test_urdu_copy_reads_back_by_ocr_with_its_numbers_cnics_and_dates(station_a, officer_a, tmp_path):
    """Render page 1 and read it with Tesseract: the numbers must be drawn, not only in the text layer."""
    pdftoppm, tesseract = _tool("pdftoppm"), _tool("tesseract")
    fir = _realistic_fir(station_a, officer_a)
    (tmp_path / "copy.pdf").write_bytes(fir_copy_pdf(fir, lang="ur"))
    subprocess.run(
        [pdftoppm, "-r", "300", "-png", "-f", "1", "-l", "1", "-singlefile", "copy.pdf", "page"],
        cwd=tmp_path,
        check=True,
    )
    ocr = subprocess.run(
        [tesseract, "page.png", "-", "-l", "eng"], cwd=tmp_path, check=True, capture_output=True, text=True
    ).stdout
    seen = re.sub(r"\s+", "", ocr)
    expected = [
        f"{fir.number}/{fir.year}",
        "35202-1234567-1",
        "35202-7654321-3",
        "61101-7654321-5",
        "0300-1234567",
        datetime_text(fir.reported_at),
        datetime_text(fir.occurred_from),
        "MuhammadAslam",
        "/fir/verify/",
    ]
    missing = [text for text in expected if re.sub(r"\s+", "", text) not in seen]
    assert missing == [], ocr


@pytest.mark.parametrize(("facts_lines", "pages"), [(6, 1), (18, 1), (24, 2)])
def test_urdu_copy_fits_on_as_many_pages_as_the_english_one(station_a, officer_a, facts_lines, pages):
    """18 sentences of facts fill the English page; Nastaliq's tall lines once pushed the Urdu copy's
    signature lines and URL to a second page, whose footer read "2 / 1"."""
    fir = register(station_a, officer_a, facts=" ".join([URDU_FACTS.split("۔")[0] + "۔"] * facts_lines))
    fir = fir_get_for_user(officer_a, fir.pk)
    english, urdu = fir_copy_pdf(fir, lang="en"), fir_copy_pdf(fir, lang="ur")
    assert _page_count(english) == pages
    assert _page_count(urdu) == pages
    assert font_problems(urdu) == []
    # The footer's "page / pages" is a left-to-right run: "1 / 2", never "2 / 1".
    for number, page in enumerate(PdfReader(BytesIO(urdu)).pages, start=1):
        assert f"{number} / {pages}" in page.extract_text()
