"""Signed tokens for the public FIR verification page (QR code on the FIR copy).

The token is the FIR's id signed with the project's SECRET_KEY under its own
salt: it cannot be guessed or derived from an FIR number, so the public page
cannot be used to enumerate FIRs.
"""

from __future__ import annotations

from django.core import signing
from django.http import Http404

from fir.models import Fir

SALT = "fir.verify"


def fir_token(fir: Fir) -> str:
    """Return the FIR's verification token (stable: the same FIR always gets the same token)."""
    return signing.Signer(salt=SALT).sign_object(fir.pk)


def fir_from_token(token: str) -> Fir:
    """Return the FIR the token names, or raise Http404 for a forged or damaged token."""
    try:
        pk = signing.Signer(salt=SALT).unsign_object(token)
    except (signing.BadSignature, ValueError) as exc:
        raise Http404("Invalid verification code.") from exc
    fir = Fir.objects.select_related("station__district").prefetch_related("sections").filter(pk=pk).first()
    if fir is None:
        raise Http404("Invalid verification code.")
    return fir
