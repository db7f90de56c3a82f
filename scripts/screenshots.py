#!/usr/bin/env python
"""Screenshots of CASP's main pages in English and Urdu at 1366 and 390 px wide, for reviewers.

    make screenshots                       # own server on a free loopback port, demo data
    .venv/bin/python scripts/screenshots.py --base-url http://127.0.0.1:8000   # a running `make run`

Signs in as the demo users (password DEMO_PASSWORD) through the login form and writes full-page PNGs to
var/screenshots/<lang>-<width>-<page>.png, plus page 1 of each FIR copy PDF rendered by pdftoppm
(var/screenshots/fir-copy-<lang>.png). Uses Debian's Chromium (/usr/bin/chromium); downloads nothing.
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DEBUG", "true")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "casp.settings")
CHROMIUM = "/usr/bin/chromium"
WIDTHS = (1366, 390)
LANGS = ("en", "ur")


@dataclass(frozen=True)
class Shot:
    name: str
    path: str
    user: str | None  # demo username, or None for the public pages
    track: tuple[str, str] | None = None  # (tracking number, phone): submit the tracking form first


def _demo_pages() -> list[Shot]:
    """Return the pages to photograph, with ids of demo records each demo user may open (their selectors)."""
    from django.contrib.auth import get_user_model

    from complaints.selectors import complaints_for_user
    from cro.selectors import records_for_user
    from fir.selectors import firs_for_user
    from hoteleye.selectors import alerts_for_user, checkins_for_hotel, hotel_for_staff
    from stations.models import RegisterEntry

    users = get_user_model().objects
    sho, cro, hotel_staff = (users.get(username=name) for name in ("sho.kohsar", "cro.islamabad", "hotel.demo"))
    station = "ISB-KOH"
    fir = firs_for_user(sho).filter(station__code=station).order_by("pk").first()
    record = records_for_user(cro).order_by("pk").first()
    complaint = complaints_for_user(sho).order_by("pk").first()
    hotel = hotel_for_staff(hotel_staff)
    checkin = checkins_for_hotel(hotel).order_by("pk").first() if hotel else None
    alert = alerts_for_user(sho).order_by("pk").first()
    entry = RegisterEntry.objects.filter(station__code=station).exclude(register="i").order_by("pk").first()
    shots = [
        Shot("login", "/accounts/login/", None),
        Shot("complaint-new", "/complaints/new/", None),
        Shot("complaint-track", "/complaints/track/", None),
        Shot("home", "/", "sho.kohsar"),
        Shot("station-dashboard", f"/stations/{station}/dashboard/", "sho.kohsar"),
        Shot("registers", f"/stations/{station}/registers/", "sho.kohsar"),
        Shot("fir-list", "/fir/", "sho.kohsar"),
        Shot("fir-form", f"/fir/new/{station}/", "clerk.kohsar"),
        Shot("complaint-inbox", "/complaints/", "sho.kohsar"),
        Shot("cro-search", "/cro/", "cro.islamabad"),
        Shot("hotel-staff-home", "/", "hotel.demo"),
        Shot("hoteleye-occupancy", "/hoteleye/", "hotel.demo"),
        Shot("hoteleye-checkin-form", "/hoteleye/guests/new/", "hotel.demo"),
        Shot("hoteleye-alerts", "/hoteleye/alerts/", "sho.kohsar"),
        Shot("admin", "/admin/", "admin"),
        Shot("admin-audit", "/admin/casp/auditevent/", "admin"),
    ]
    if fir is not None:
        shots.append(Shot("fir-detail", f"/fir/{fir.pk}/", "sho.kohsar"))
    if entry is not None:
        path = f"/stations/{station}/registers/{entry.register}/{entry.pk}/?print=1"
        shots.append(Shot("register-print", path, "sho.kohsar"))
    if record is not None:
        shots.append(Shot("cro-record", f"/cro/{record.pk}/", "cro.islamabad"))
    if complaint is not None:
        shots.append(Shot("complaint-detail", f"/complaints/{complaint.pk}/", "sho.kohsar"))
        shots.append(Shot("complaint-status", "/complaints/track/", None, (complaint.tracking_number, complaint.phone)))
    if checkin is not None:
        shots.append(Shot("hoteleye-guest", f"/hoteleye/guests/{checkin.pk}/", "hotel.demo"))
    if alert is not None:
        shots.append(Shot("hoteleye-alert", f"/hoteleye/alerts/{alert.pk}/", "sho.kohsar"))
    return shots


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _start_server() -> tuple[subprocess.Popen, str]:
    """Migrate, seed the demo data and start runserver on a free loopback port; return it and its URL."""
    port = _free_port()
    server = subprocess.Popen(  # noqa: S603
        [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
        cwd=ROOT,
        env={**os.environ, "DEBUG": "true"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    for _ in range(120):
        try:
            with urllib.request.urlopen(f"{url}/readyz", timeout=2):  # noqa: S310 (loopback; /healthz needs a worker)
                return server, url
        except OSError:
            time.sleep(0.5)
    server.terminate()
    raise SystemExit(f"the server on {url} did not answer /readyz")


def _sign_in(page, base_url: str, username: str, password: str) -> None:  # noqa: ANN001
    page.goto(f"{base_url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    with page.expect_navigation():
        page.click("main button[type=submit]")


def _pdf_pages(context, base_url: str, fir_pk: int, out: Path) -> list[Path]:  # noqa: ANN001
    """Save page 1 of the FIR copy in each language as a PNG (pdftoppm, 110 dpi)."""
    written = []
    pdftoppm = shutil.which("pdftoppm")
    for lang in LANGS:
        response = context.request.get(f"{base_url}/fir/{fir_pk}/copy-{lang}.pdf")
        pdf = out / f"fir-copy-{lang}.pdf"
        pdf.write_bytes(response.body())
        written.append(pdf)
        if pdftoppm:
            stem = out / f"fir-copy-{lang}"
            subprocess.run([pdftoppm, "-r", "110", "-png", "-f", "1", "-l", "1", "-singlefile", pdf, stem], check=True)  # noqa: S603
            written.append(stem.with_suffix(".png"))
    return written


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base-url", help="a running CASP (default: start one with the demo data)")
    parser.add_argument("--out", default=str(ROOT / "var" / "screenshots"))
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings

    server = None
    if args.base_url:
        base_url = args.base_url.rstrip("/")
    else:
        # Through manage.py: schema changes and the demo seed connect as the database owner (docs/security.md).
        for command in (["migrate", "--noinput", "-v", "0"], ["seed_demo"]):
            subprocess.run([sys.executable, "manage.py", *command], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)  # noqa: S603
        server, base_url = _start_server()
    shots = _demo_pages()
    fir_pk = next((int(s.path.split("/")[2]) for s in shots if s.name == "fir-detail"), None)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    failed: list[str] = []

    from playwright.sync_api import sync_playwright

    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
            users = list(dict.fromkeys(s.user for s in shots))
            for width in WIDTHS:
                for lang in LANGS:
                    for user in users:
                        context = browser.new_context(viewport={"width": width, "height": 900}, locale="en-GB")
                        context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": lang, "url": base_url}])
                        page = context.new_page()
                        if user is not None:
                            _sign_in(page, base_url, user, settings.DEMO_PASSWORD)
                        for shot in (s for s in shots if s.user == user):
                            response = page.goto(f"{base_url}{shot.path}")
                            if response is None or response.status >= 400:
                                failed.append(
                                    f"{lang}-{width}-{shot.name}: {shot.path} answered {response and response.status}"
                                )
                            if shot.track is not None:
                                page.fill("#id_tracking_number", shot.track[0])
                                page.fill("#id_phone_or_cnic", shot.track[1])
                                with page.expect_navigation():
                                    page.click("main button[type=submit]")
                            page.wait_for_load_state("networkidle")
                            path = out / f"{lang}-{width}-{shot.name}.png"
                            page.screenshot(path=str(path), full_page=True)
                            written.append(path)
                        if user == "sho.kohsar" and width == WIDTHS[0] and lang == LANGS[0] and fir_pk:
                            written += _pdf_pages(context, base_url, fir_pk, out)
                        context.close()
            browser.close()
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
    for path in written:
        print(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)
    print(f"{len(written)} files in {out}")
    for line in failed:
        print(f"error page: {line}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
