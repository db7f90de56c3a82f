"""Forms of the kernel: the audit log's filter."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from casp.audit_display import action_choices


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
