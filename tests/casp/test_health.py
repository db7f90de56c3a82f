import json
import os
import subprocess
import sys

from django.conf import settings


def test_healthz_reports_database_and_broker_as_json(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["database"] == "ok"
    assert body["broker"] in {"ok", "unavailable"}
    assert body["status"] == "ok"


def test_healthz_answers_503_when_the_database_is_down():
    # A real unreachable server (nothing listens on port 1), in a separate process.
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "casp.settings_test",
        "DATABASE_URL": "postgresql://nobody@127.0.0.1:1/casp",
    }
    script = (
        "import django, json; django.setup();"
        "from django.test import Client;"
        "r = Client().get('/healthz');"
        "print(json.dumps({'status': r.status_code, 'body': r.json()}))"
    )
    out = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=60, cwd=settings.BASE_DIR
    )
    assert out.returncode == 0, out.stderr
    result = json.loads(out.stdout.strip().splitlines()[-1])
    assert result["status"] == 503
    assert result["body"]["database"] == "unavailable"
