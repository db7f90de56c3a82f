from django.urls import reverse


def test_switching_to_urdu_renders_right_to_left_with_the_rtl_stylesheet(client, officer_a):
    client.force_login(officer_a)
    response = client.post(reverse("set_language"), {"language": "ur", "next": "/"})
    assert response.status_code == 302
    page = client.get("/")
    html = page.content.decode()
    assert 'lang="ur" dir="rtl"' in html
    assert "bootstrap.rtl.min.css" in html
    assert "خوش آمدید" in html  # "Welcome", from locale/ur


def test_english_is_left_to_right_by_default(client, officer_a):
    client.force_login(officer_a)
    html = client.get("/").content.decode()
    assert 'lang="en" dir="ltr"' in html
    assert "bootstrap.min.css" in html and "bootstrap.rtl.min.css" not in html


def test_pages_load_assets_only_from_this_site(client, officer_a):
    client.force_login(officer_a)
    response = client.get("/")
    html = response.content.decode()
    assert "cdn" not in html.lower()
    assert "https://" not in html
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]


def test_vendored_assets_and_urdu_font_are_served_from_static(client, db):
    for path in (
        "/static/vendor/bootstrap/bootstrap.rtl.min.css",
        "/static/vendor/htmx/htmx.min.js",
        "/static/vendor/fonts/noto-nastaliq-urdu/noto-nastaliq-urdu-arabic-400-normal.woff2",
    ):
        response = client.get(path)
        assert response.status_code == 200, path
