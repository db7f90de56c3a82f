import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from casp.uploads import private_name, process_image, validate_pdf
from tests.factories import FACES


def _png(width, height, **save):
    buf = io.BytesIO()
    Image.new("RGB", (width, height), "white").save(buf, format="PNG", **save)
    return SimpleUploadedFile("x.png", buf.getvalue(), content_type="image/png")


def test_a_real_photo_is_accepted_and_gets_a_thumbnail():
    data = (FACES / "obama.jpg").read_bytes()
    result = process_image(SimpleUploadedFile("obama.jpg", data))
    assert result.extension == "jpg"
    thumb = Image.open(io.BytesIO(result.thumbnail))
    assert max(thumb.size) <= 256


def test_a_text_file_renamed_jpg_is_refused():
    upload = SimpleUploadedFile("photo.jpg", b"this is not a picture\n" * 10, content_type="image/jpeg")
    with pytest.raises(ValidationError, match="not a JPEG, PNG or WebP image"):
        process_image(upload)


def test_a_gif_is_refused_by_its_real_format():
    buf = io.BytesIO()
    Image.new("RGB", (10, 10)).save(buf, format="GIF")
    with pytest.raises(ValidationError, match="GIF image; only JPEG, PNG or WebP"):
        process_image(SimpleUploadedFile("x.png", buf.getvalue()))


def test_a_decompression_bomb_is_refused_before_decoding():
    upload = _png(8000, 6000)  # 48 megapixels in a small file
    assert upload.size < 1_000_000
    with pytest.raises(ValidationError, match="limit is 40 megapixels"):
        process_image(upload)


def test_a_file_over_10_mb_is_refused():
    upload = SimpleUploadedFile("big.jpg", b"\xff\xd8" + b"0" * (10 * 1024 * 1024 + 1))
    with pytest.raises(ValidationError, match="the limit is 10 MB"):
        process_image(upload)


def test_exif_orientation_is_applied_then_all_exif_is_dropped():
    image = Image.new("RGB", (40, 20), "red")
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90° clockwise when shown
    exif[0x010F] = "Camera maker that must not leak"
    buf = io.BytesIO()
    image.save(buf, format="JPEG", exif=exif.tobytes())
    result = process_image(SimpleUploadedFile("r.jpg", buf.getvalue()))
    assert (result.width, result.height) == (20, 40)
    reopened = Image.open(io.BytesIO(result.content))
    assert dict(reopened.getexif()) == {}
    assert b"Camera maker" not in result.content


def test_truncated_image_is_refused_as_damaged():
    buf = io.BytesIO()
    Image.effect_noise((300, 300), 60).convert("RGB").save(buf, format="JPEG")
    with pytest.raises(ValidationError, match="damaged or incomplete"):
        process_image(SimpleUploadedFile("t.jpg", buf.getvalue()[: len(buf.getvalue()) // 2]))


def test_pdf_check_refuses_a_file_that_only_claims_to_be_pdf():
    validate_pdf(SimpleUploadedFile("ok.pdf", b"%PDF-1.7\n..."))
    with pytest.raises(ValidationError, match="not a PDF document"):
        validate_pdf(SimpleUploadedFile("fake.pdf", b"MZ\x90\x00 executable"))


def test_private_names_are_not_guessable_and_unique():
    names = {private_name("cro/photos", "jpg") for _ in range(1000)}
    assert len(names) == 1000
    assert all(len(n.rsplit("/", 1)[1]) >= 43 for n in names)


def test_truncated_image_is_refused_even_after_a_library_allowed_truncated_images():
    from PIL import ImageFile

    ImageFile.LOAD_TRUNCATED_IMAGES = True  # what importing WeasyPrint or face_recognition does
    try:
        buf = io.BytesIO()
        Image.effect_noise((300, 300), 60).convert("RGB").save(buf, format="JPEG")
        with pytest.raises(ValidationError, match="damaged or incomplete"):
            process_image(SimpleUploadedFile("t.jpg", buf.getvalue()[: len(buf.getvalue()) // 2]))
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES = False
