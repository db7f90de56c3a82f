"""Every Khidmat page in English and Urdu at desktop (1366 px) and phone (390 px) width: direction, no
sideways scrolling; and the PDFs' text in both languages."""

from __future__ import annotations

import io

import pytest
from django.apps import apps
from pypdf import PdfReader

from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def issued(district_a, station_a, roles):
    """A centre with an in-charge and an issued loss report (the catalogue re-seeded after the flush)."""
    from khidmat.catalogue import registration_kinds_seed, services_seed
    from khidmat.models import KhidmatCentre, ServiceType
    from khidmat.services import ApplicationData, application_create
    from tests.khidmat.conftest import centre_user

    services_seed(apps.get_model("khidmat", "ServiceType"), apps.get_model("khidmat", "ServiceDocument"))
    registration_kinds_seed(apps.get_model("khidmat", "ServiceType"))
    centre = KhidmatCentre.objects.create(code="KHM-A", name="Centre Alpha", name_ur="مرکز الفا",
                                          district=district_a, address="A", counters=3)  # fmt: skip
    user = centre_user(centre, username="pages_incharge", incharge=True)
    svc = ServiceType.objects.get(code="loss-report")
    application = application_create(
        centre=centre, acting_user=user,
        data=ApplicationData(service=svc, applicant_cnic="3520212345671", applicant_name="Ali Raza",
                             applicant_phone="03001234567", fee=0, documents=list(svc.documents.all()),
                             details="Wallet lost"),
    )  # fmt: skip
    return user, application


def test_pages_in_both_languages_at_both_widths(page, live_server, issued):
    user, application = issued
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    paths = [
        "/khidmat/centre/KHM-A/", "/khidmat/centre/KHM-A/new/character-certificate/",
        "/khidmat/centre/KHM-A/new/domestic-servant-registration/", "/khidmat/centre/KHM-A/new/foreigner-registration/",
        "/khidmat/centre/KHM-A/new/vehicle-verification/",
        "/khidmat/centre/KHM-A/applications/", "/khidmat/centre/KHM-A/dashboard/",
        f"/khidmat/applications/{application.pk}/", f"/khidmat/verify/{application.certificate.verify_key}/",
        "/khidmat/track/",
    ]  # fmt: skip
    for lang in ("en", "ur"):
        page.goto(f"{live_server.url}/khidmat/track/")
        with page.expect_navigation():
            page.select_option("#language-select", lang)
        for width in (1366, 390):
            page.set_viewport_size({"width": width, "height": 900})
            for path in paths:
                response = page.goto(live_server.url + path)
                assert response.status == 200, path
                assert page.locator("html").get_attribute("dir") == ("rtl" if lang == "ur" else "ltr")
                overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
                assert overflow <= 0, (lang, width, path, overflow)


def test_receipt_and_report_pdfs_in_english_and_urdu(client, issued):
    user, application = issued
    client.force_login(user)
    serial = application.certificate.serial
    for lang in ("en", "ur"):
        for kind, expected in (("receipt", application.tracking_number), ("document", serial)):
            response = client.get(f"/khidmat/applications/{application.pk}/{kind}-{lang}.pdf")
            text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
            assert expected in text, (kind, lang)
    urdu = "".join(p.extract_text() for p in PdfReader(io.BytesIO(client.get(
        f"/khidmat/applications/{application.pk}/receipt-ur.pdf").content)).pages)  # fmt: skip
    assert any("\u0600" <= ch <= "\u06ff" for ch in urdu)
