"""The catalogue is data: a service changed in the admin (fee, a new required document) is what the counter
asks for next, and the change is audited."""

from __future__ import annotations

import pytest
from django.urls import reverse

from casp.models import AuditEvent
from khidmat.models import Application, ServiceType
from tests.khidmat.conftest import form_body, service

pytestmark = pytest.mark.django_db


def _admin_post_data(response) -> dict:
    """The change form's POST body as the admin shows it: the service's fields and its documents inline."""
    form = response.context["adminform"].form
    data = {}
    for name, field in form.fields.items():
        value = form[name].value()
        if isinstance(value, bool):
            if value:
                data[name] = "on"
        elif value is not None:
            data[name] = field.widget.format_value(value) if hasattr(field.widget, "format_value") else value
    formset = response.context["inline_admin_formsets"][0].formset
    for key, value in formset.management_form.initial.items():
        data[f"{formset.prefix}-{key}"] = value
    for i, inline in enumerate(formset.forms[: formset.initial_form_count()]):
        for name in inline.fields:
            value = inline[name].value()
            if isinstance(value, bool):
                if value:
                    data[f"{formset.prefix}-{i}-{name}"] = "on"
            elif value is not None:
                data[f"{formset.prefix}-{i}-{name}"] = value
    return data


def test_a_fee_and_a_document_changed_in_the_admin_are_what_the_counter_asks_for(
    client, clerk_client, django_user_model, centre, station_a
):
    admin = django_user_model.objects.create_superuser("root", "root@example.org", "x-very-long-password")
    client.force_login(admin)
    svc = service("character-certificate")
    url = reverse("admin:khidmat_servicetype_change", args=[svc.pk])
    data = _admin_post_data(client.get(url))
    n = int(data["documents-INITIAL_FORMS"])  # the new document in the inline's empty row
    data.update({"fee": "700", "documents-TOTAL_FORMS": str(n + 1), f"documents-{n}-code": "exit-stamp",
                 f"documents-{n}-name": "Copy of the exit stamp", f"documents-{n}-name_ur": "ایگزٹ اسٹیمپ کی کاپی",
                 f"documents-{n}-is_required": "on", f"documents-{n}-position": "9"})  # fmt: skip
    response = client.post(url, data)
    assert response.status_code == 302, (
        response.context["adminform"].form.errors,
        [f.errors for f in response.context["inline_admin_formsets"][0].formset.forms],
        response.context["inline_admin_formsets"][0].formset.non_form_errors(),
    )
    assert ServiceType.objects.get(pk=svc.pk).fee == 700
    actions = set(AuditEvent.objects.filter(actor=admin).values_list("action", flat=True))
    assert {"khidmat.servicetype_changed", "khidmat.service_documents_changed"} <= actions

    # The counter now asks for Rs 700 and the exit stamp.
    svc = service("character-certificate")
    new_url = reverse("khidmat:new", args=[centre.code, svc.code])
    old = form_body(svc, station_present=station_a, station_permanent=station_a, fee="500")
    old["documents"] = [str(d.pk) for d in svc.documents.exclude(code="exit-stamp") if d.is_required]
    errors = clerk_client.post(new_url, old).context["form"].errors
    assert "is Rs 700; Rs 500 was entered" in " ".join(errors["fee"])
    assert "Copy of the exit stamp" in " ".join(errors["documents"])
    assert Application.objects.count() == 0
    ok = form_body(svc, station_present=station_a, station_permanent=station_a)
    assert clerk_client.post(new_url, ok).status_code == 302
    assert Application.objects.get().fee == 700
