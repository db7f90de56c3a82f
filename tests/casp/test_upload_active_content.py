"""Nothing but pixels survives an image upload; PDFs with active content are refused; long names keep
their extension (casp.uploads)."""

from __future__ import annotations

import io
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageCms, PngImagePlugin

from casp.uploads import process_image, safe_file_name, validate_pdf

SCRIPT = b"<script>alert(document.cookie)</script>"


def _jpeg_with_com_segment() -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (32, 16), "blue").save(buf, format="JPEG")
    data = buf.getvalue()
    com = b"\xff\xfe" + (len(SCRIPT) + 2).to_bytes(2, "big") + SCRIPT  # a COM segment right after SOI
    return data[:2] + com + data[2:]


def test_a_script_in_a_jpeg_comment_segment_does_not_survive():
    data = _jpeg_with_com_segment()
    assert Image.open(io.BytesIO(data)).info.get("comment") == SCRIPT  # Pillow reads it ...
    result = process_image(SimpleUploadedFile("c.jpg", data))
    assert SCRIPT not in result.content and b"<script>" not in result.content  # ... and it is not written back
    assert b"\xff\xfe" not in result.content[: result.content.index(b"\xff\xda")]  # no COM before the scan
    assert b"<script>" not in result.thumbnail


def test_xmp_and_icc_profile_do_not_survive_a_jpeg():
    buf = io.BytesIO()
    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    xmp = b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><script>evil()</script></x:xmpmeta>'
    Image.new("RGB", (20, 20), "green").save(buf, format="JPEG", icc_profile=icc, xmp=xmp)
    result = process_image(SimpleUploadedFile("x.jpg", buf.getvalue()))
    reopened = Image.open(io.BytesIO(result.content))
    assert "icc_profile" not in reopened.info and "xmp" not in reopened.info
    assert b"evil()" not in result.content


def test_png_text_chunks_do_not_survive():
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", SCRIPT.decode())
    buf = io.BytesIO()
    Image.new("RGBA", (20, 20), (255, 0, 0, 128)).save(buf, format="PNG", pnginfo=info)
    result = process_image(SimpleUploadedFile("t.png", buf.getvalue()))
    assert b"<script>" not in result.content
    reopened = Image.open(io.BytesIO(result.content))
    assert reopened.mode == "RGBA" and reopened.getpixel((0, 0)) == (255, 0, 0, 128)  # transparency kept


def test_webp_keeps_its_pixels_and_loses_its_metadata():
    buf = io.BytesIO()
    Image.new("RGB", (20, 20), "yellow").save(buf, format="WEBP", xmp=b"<x>" + SCRIPT + b"</x>")
    result = process_image(SimpleUploadedFile("w.webp", buf.getvalue()))
    assert result.extension == "webp" and b"<script>" not in result.content


# --- PDFs -----------------------------------------------------------------------------------------------------------

PLAIN = b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def _pdf(body: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile("doc.pdf", b"%PDF-1.7\n" + body + b"\n%%EOF\n")


def _compressed_object_stream(content: bytes) -> bytes:
    packed = zlib.compress(content)
    return (
        b"5 0 obj << /Type /ObjStm /N 1 /First 4 /Filter /FlateDecode /Length %d >>\nstream\n" % len(packed)
        + packed
        + b"\nendstream\nendobj"
    )


def test_an_ordinary_pdf_is_accepted():
    validate_pdf(SimpleUploadedFile("ok.pdf", PLAIN))
    validate_pdf(_pdf(b"1 0 obj << /Type /Catalog /OpenAction [3 0 R /Fit] >> endobj"))  # "open at page 1"
    validate_pdf(_pdf(_compressed_object_stream(b"1 0 << /Type /Font /BaseFont /Helvetica >>")))


@pytest.mark.parametrize(
    ("body", "key"),
    [
        (b"1 0 obj << /OpenAction << /S /JavaScript /JS (app.alert(1)) >> >> endobj", "JavaScript"),
        (b"1 0 obj << /OpenAction << /S /J#61vaScript /J#53 (app.alert(1)) >> >> endobj", "JavaScript"),
        (b"1 0 obj << /AA << /O << /S /Launch /F (cmd.exe) >> >> >> endobj", "Launch"),
        (b"1 0 obj << /Names << /EmbeddedFiles 2 0 R >> >> endobj", "EmbeddedFiles"),
        (b"1 0 obj << /Type /Annot /Subtype /RichMedia >> endobj", "RichMedia"),
        (b"1 0 obj << /AcroForm << /XFA 4 0 R >> >> endobj", "XFA"),
        (_compressed_object_stream(b"1 0 << /S /JavaScript /JS (this.exportDataObject()) >>"), "JavaScript"),
    ],
    ids=["openaction-js", "name-escapes", "launch", "embedded-files", "rich-media", "xfa", "in-object-stream"],
)
def test_a_pdf_with_active_content_is_refused_naming_what_was_found(body, key):
    with pytest.raises(ValidationError, match=f"active content \\(.*{key}"):
        validate_pdf(_pdf(body))


def test_an_encrypted_pdf_is_refused_because_it_cannot_be_checked():
    with pytest.raises(ValidationError, match="password-protected, encrypted"):
        validate_pdf(_pdf(b"trailer << /Root 1 0 R /Encrypt 9 0 R >>"))


BOMB = zlib.compress(b"\0" * (200 * 1024 * 1024), 9)  # 200 MB of zeros in about 200 kB


def test_a_zip_bomb_in_a_page_or_image_stream_is_never_inflated():
    validate_pdf(_pdf(b"5 0 obj << /Filter /FlateDecode >>\nstream\n" + BOMB + b"\nendstream\nendobj"))


def test_a_zip_bomb_or_damage_in_an_object_stream_is_refused_as_uncheckable():
    head = b"5 0 obj << /Type /ObjStm /N 1 /First 4 /Filter /FlateDecode >>\nstream\n"
    with pytest.raises(ValidationError, match="cannot be checked"):
        validate_pdf(_pdf(head + BOMB + b"\nendstream\nendobj"))
    with pytest.raises(ValidationError, match="cannot be checked"):
        validate_pdf(_pdf(head + b"not zlib at all" + b"\nendstream\nendobj"))


# --- file names -----------------------------------------------------------------------------------------------------


def test_a_long_file_name_keeps_its_extension():
    name = "scan-" + "x" * 300 + ".PDF"
    short = safe_file_name(name)
    assert len(short) == 200 and short.endswith(".PDF") and short.startswith("scan-xxx")
    assert safe_file_name("C:\\Users\\me\\photo.jpg") == "photo.jpg"
    assert safe_file_name("") == "file"


@pytest.mark.django_db
def test_an_attachment_with_a_250_character_name_is_accepted_as_what_it_is(client, station_a, settings, tmp_path):
    from complaints.models import Attachment, Complaint
    from tests.complaints.conftest import form_data, jpeg_upload, pdf_upload

    settings.MEDIA_ROOT = str(tmp_path)
    photo = jpeg_upload(name="p" * 250 + ".jpg")
    letter = pdf_upload(name="l" * 250 + ".pdf")
    response = client.post("/complaints/new/", {**form_data(station_a), "attachments": [photo, letter]})
    assert response.status_code == 302
    complaint = Complaint.objects.get()
    names = sorted(a.original_name for a in Attachment.objects.filter(complaint=complaint))
    assert {n[-4:] for n in names} == {".jpg", ".pdf"} and all(len(n) == 200 for n in names)
