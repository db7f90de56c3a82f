from django.contrib.staticfiles import finders
from django.urls import reverse


def test_every_page_links_a_favicon_served_from_static(client, db):
    page = client.get(reverse("login")).content.decode()
    assert 'rel="icon"' in page
    assert finders.find("img/favicon.svg")
