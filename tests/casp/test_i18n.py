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


def test_urdu_pages_name_the_station_in_urdu(client, officer_a, station_a):
    """A station's name is told in the reader's language on every officer page, as on the complaint pages."""
    from django.urls import reverse

    from tests.fir.factories import register

    station_a.name_ur = "تھانہ الفا"
    station_a.save(update_fields=["name_ur"])
    fir = register(station_a, officer_a)
    client.force_login(officer_a)
    client.cookies["django_language"] = "ur"
    for url in (
        reverse("home"),
        reverse("fir:detail", args=[fir.pk]),
        reverse("stations:dashboard", args=[station_a.code]),
        reverse("stations:register_list", args=[station_a.code, "xi"]),
    ):
        page = client.get(url).content.decode()
        assert "تھانہ الفا" in page and str(station_a) not in page, url
    client.cookies["django_language"] = "en"
    assert str(station_a) in client.get(reverse("fir:detail", args=[fir.pk])).content.decode()


def test_urdu_fir_page_says_son_of_in_urdu_and_shows_cnics_with_dashes(client, officer_a, station_a):
    from django.urls import reverse

    from tests.fir.factories import register

    fir = register(station_a, officer_a)  # complainant 35202-1234567-1, accused 35202-7654321-3
    client.force_login(officer_a)
    client.cookies["django_language"] = "ur"
    page = client.get(reverse("fir:detail", args=[fir.pk])).content.decode()
    assert " s/o " not in page and "Muhammad Aslam ولد Abdul Ghani" in page and "Bashir Ahmad ولد Nazir" in page
    assert "35202-1234567-1" in page and "35202-7654321-3" in page
