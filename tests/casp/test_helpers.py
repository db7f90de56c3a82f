"""The shared helpers: one way to serve a private file, one way to turn errors into form errors and messages."""

from __future__ import annotations

import pytest
from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import Http404
from django.test import RequestFactory

from casp.files import private_file_response
from casp.forms import errors_to_form, form_errors_to_messages, validation_error_to_messages


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.mark.parametrize(
    ("name", "content_type", "disposition"),
    [("a/photo.jpg", "image/jpeg", "inline"), ("a/scan.png", "image/png", "inline"),
     ("a/letter.pdf", "application/pdf", "attachment"), ("a/blob.bin", "application/octet-stream", "inline")],
)  # fmt: skip
def test_private_file_gets_the_one_set_of_headers(media, name, content_type, disposition):
    stored = default_storage.save(name, ContentFile(b"x"))
    response = private_file_response(stored)
    assert response["Content-Type"] == content_type
    assert response["Cache-Control"] == "private, no-store"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"] == disposition
    assert b"".join(response.streaming_content) == b"x"


def test_private_file_missing_or_unnamed_is_404(media):
    for name in ("", "a/none.jpg"):
        with pytest.raises(Http404):
            private_file_response(name)


class _Form(forms.Form):
    when = forms.DateField(label="Date of arrest")
    note = forms.CharField(label="Note", required=False)


def _request():
    request = RequestFactory().post("/")
    request.session = {}
    request._messages = FallbackStorage(request)
    return request


def test_service_errors_land_on_their_fields_or_the_form():
    form = _Form({"when": "2026-01-01"})
    assert form.is_valid()
    errors_to_form(form, ValidationError({"note": "Too short.", "nowhere": "Refused."}))
    assert form.errors["note"] == ["Too short."] and form.non_field_errors() == ["Refused."]
    form = _Form({"when": "2026-01-01"})
    form.is_valid()
    errors_to_form(form, ValidationError({"reason": "Give a reason."}), rename={"reason": "note"})
    assert form.errors["note"] == ["Give a reason."]


def test_form_errors_become_messages_naming_their_field():
    request = _request()
    form = _Form({"when": "not a date"})
    assert not form.is_valid()
    form_errors_to_messages(request, form)
    validation_error_to_messages(request, ValidationError("Closed already."), "Alert")
    assert [str(m) for m in get_messages(request)] == ["Date of arrest: Enter a valid date.", "Alert: Closed already."]
