import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.urls import reverse

from tests.conftest import PASSWORD


def test_login_page_renders_for_anonymous_visitor(client, db):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert b'name="username"' in response.content


def test_officer_signs_in_with_correct_password(client, officer_a):
    response = client.post(reverse("login"), {"username": "officer_a", "password": PASSWORD})
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 200


def test_wrong_password_says_so_and_signs_nobody_in(client, officer_a):
    response = client.post(reverse("login"), {"username": "officer_a", "password": "wrong"})
    assert response.status_code == 200
    assert b"Please enter a correct username and password" in response.content
    assert client.get(reverse("home")).status_code == 302


def test_repeated_wrong_passwords_lock_the_login_even_for_the_right_password(client, officer_a):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": "officer_a", "password": "wrong"}, REMOTE_ADDR="10.0.0.9")
    locked = client.post(reverse("login"), {"username": "officer_a", "password": PASSWORD}, REMOTE_ADDR="10.0.0.9")
    assert locked.status_code == 429
    assert b"Too many failed sign-in attempts" in locked.content
    assert client.get(reverse("home")).status_code == 302


def test_lockout_counts_the_client_ip_behind_a_trusted_proxy(client, officer_a, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(
            reverse("login"),
            {"username": "officer_a", "password": "wrong"},
            REMOTE_ADDR="172.16.0.1",
            HTTP_X_FORWARDED_FOR="203.0.113.7",
        )
    # The same proxy forwarding a different client is not locked out.
    other = client.post(
        reverse("login"),
        {"username": "officer_a", "password": PASSWORD},
        REMOTE_ADDR="172.16.0.1",
        HTTP_X_FORWARDED_FOR="203.0.113.8",
    )
    assert other.status_code == 302


def test_expired_session_sends_the_user_to_login_with_an_explanation(client, officer_a):
    client.force_login(officer_a)
    Session.objects.all().delete()  # what session expiry does to the row
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
    login_page = client.get(response.url)
    assert b"Your session has expired" in login_page.content


@pytest.mark.parametrize("path", ["/", "/stations/", "/stations/PS-A/"])
def test_pages_need_sign_in(client, db, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_password_change_refuses_a_short_password_and_keeps_the_old_one(client, officer_a):
    client.force_login(officer_a)
    response = client.post(
        reverse("password_change"), {"old_password": PASSWORD, "new_password1": "short", "new_password2": "short"}
    )
    assert response.status_code == 200
    assert b"This password is too short" in response.content
    officer_a.refresh_from_db()
    assert officer_a.check_password(PASSWORD)


def test_wrong_current_passwords_lock_the_password_change_form_and_the_login(client, officer_a):
    client.force_login(officer_a)
    url = reverse("password_change")
    new = {"new_password1": "A-much-longer-pass-2026", "new_password2": "A-much-longer-pass-2026"}
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = client.post(url, {"old_password": "guess", **new}, REMOTE_ADDR="10.0.0.7")
        assert response.status_code == 200 and b"Your old password was entered incorrectly" in response.content
    last = client.post(url, {"old_password": "guess", **new}, REMOTE_ADDR="10.0.0.7")
    assert last.status_code == 429
    # Even the right current password is refused now, and nothing changes.
    locked = client.post(url, {"old_password": PASSWORD, **new}, REMOTE_ADDR="10.0.0.7")
    assert locked.status_code == 429 and b"Too many failed sign-in attempts" in locked.content
    officer_a.refresh_from_db()
    assert officer_a.check_password(PASSWORD)
    # The same lockout holds for signing in from that address.
    client.logout()
    login = client.post(reverse("login"), {"username": "officer_a", "password": PASSWORD}, REMOTE_ADDR="10.0.0.7")
    assert login.status_code == 429


def test_password_change_with_the_right_current_password_still_works(client, officer_a):
    client.force_login(officer_a)
    new = "A-much-longer-pass-2026"
    response = client.post(
        reverse("password_change"), {"old_password": PASSWORD, "new_password1": new, "new_password2": new}
    )
    assert response.status_code == 302
    officer_a.refresh_from_db()
    assert officer_a.check_password(new)


def test_unknown_url_gets_the_404_page(client, officer_a):
    client.force_login(officer_a)
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    assert b"Page not found" in response.content


def test_the_admin_password_change_is_the_one_form_under_the_lockout(client, officer_a):
    """The admin's own password form (/admin/password_change/) took wrong current passwords without limit and
    then the right one; it now sends staff to the one password form, which axes guards (test above)."""
    officer_a.is_staff = True
    officer_a.save(update_fields=["is_staff"])
    client.force_login(officer_a)
    url = reverse("admin:password_change")
    new = {"new_password1": "A-much-longer-pass-2026", "new_password2": "A-much-longer-pass-2026"}
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = client.post(url, {"old_password": "guess", **new}, REMOTE_ADDR="10.0.0.8")
        assert response.status_code == 302 and response["Location"] == reverse("password_change")
    client.post(url, {"old_password": PASSWORD, **new}, REMOTE_ADDR="10.0.0.8")
    officer_a.refresh_from_db()
    assert officer_a.check_password(PASSWORD)  # nothing changed through the admin
    assert client.get(url)["Location"] == reverse("password_change")
