"""Form helpers shared by every app (errors onto forms and into messages) and the audit log's filter."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from casp.audit_display import action_choices


def errors_to_form(form: forms.Form, exc: ValidationError, rename: dict[str, str] | None = None) -> None:
    """Add a service's ValidationError to ``form``: each keyed error on its field (``rename`` maps service
    names to field names), anything else as a form-wide error."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    for field, errors in exc.message_dict.items():
        field = (rename or {}).get(field, field)
        form.add_error(field if field in form.fields else None, errors)


def form_errors_to_messages(request: HttpRequest, form: forms.Form) -> None:
    """Show a posted form's errors, each naming its field, as messages on the page the view redirects to."""
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        for error in errors:
            messages.error(request, f"{label}: {error}" if label else error)


def validation_error_to_messages(request: HttpRequest, exc: ValidationError, label: str = "") -> None:
    """Show a service's ValidationError as messages, prefixed with ``label`` (the thing that was refused)."""
    for message in exc.messages:
        messages.error(request, f"{label}: {message}" if label else message)


class AuditFilterForm(forms.Form):
    """Filter audit events by user and action; ``actions`` narrows the choice to one log's actions."""

    user = forms.CharField(label=_("User"), required=False, max_length=150, help_text=_("Login name, exactly."))
    action = forms.ChoiceField(label=_("Action"), required=False)

    def __init__(self, *args: object, actions: tuple[str, ...] = (), **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        choices = [(c, label) for c, label in action_choices() if not actions or c.startswith(actions)]
        self.fields["action"].choices = [("", _("All actions")), *choices]

    def clean_user(self) -> str:
        return self.cleaned_data["user"].strip()
