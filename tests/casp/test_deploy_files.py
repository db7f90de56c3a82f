"""No container engine runs here, so the compose file is checked by reading it."""

import re

import yaml
from django.conf import settings


def _compose():
    return yaml.safe_load((settings.BASE_DIR / "docker-compose.yml").read_text())


def test_compose_runs_postgres_with_pgvector_redis_web_worker_and_beat():
    services = _compose()["services"]
    assert {"db", "redis", "web", "worker", "beat"} <= set(services)
    assert "pgvector" in services["db"]["image"]
    assert "gunicorn" in " ".join(services["web"]["command"])
    assert "worker" in services["worker"]["command"]
    assert "beat" in services["beat"]["command"]


def test_app_services_are_configured_only_through_environment_variables():
    services = _compose()["services"]
    for name in ("web", "worker", "beat"):
        env = services[name]["environment"]
        for var in ("DATABASE_URL", "REDIS_URL", "SECRET_KEY_FILE", "ALLOWED_HOSTS"):
            assert var in env, (name, var)
        assert env.get("DEBUG", "false") == "false"
        assert "volumes" not in services[name] or all("settings" not in v for v in services[name]["volumes"])


def test_dockerfile_installs_face_recognition_without_compiling_dlib():
    dockerfile = (settings.BASE_DIR / "Dockerfile").read_text()
    assert "requirements.txt" in dockerfile
    assert re.search(r"--no-deps\s+-r\s+requirements-face.txt", dockerfile)
    assert "collectstatic" in dockerfile
