"""No container engine runs here, so the compose file is checked by reading it."""

import re

import yaml
from django.conf import settings


def _compose():
    return yaml.safe_load((settings.BASE_DIR / "docker-compose.yml").read_text())


APP_SERVICES = ("web", "worker-matching", "worker-notifications", "worker-faces", "worker-background", "beat")


def test_compose_runs_postgres_with_pgvector_redis_web_worker_and_beat():
    services = _compose()["services"]
    assert {"db", "redis", *APP_SERVICES} <= set(services)
    assert "pgvector" in services["db"]["image"]
    assert "gunicorn" in " ".join(services["web"]["command"])
    assert "worker" in services["worker-matching"]["command"]
    assert "beat" in services["beat"]["command"]


def test_app_services_are_configured_only_through_environment_variables():
    services = _compose()["services"]
    for name in APP_SERVICES:
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


def test_only_the_migrate_service_connects_as_the_owner_and_the_app_as_the_restricted_role():
    services = _compose()["services"]
    owner_password = "${POSTGRES_PASSWORD"
    for name in APP_SERVICES:
        env = services[name]["environment"]
        assert env["DATABASE_URL"].startswith("postgresql://casp_app:"), name
        assert "DATABASE_OWNER_URL" not in env, name
        assert not any(owner_password in str(value) for value in env.values()), name
        assert services[name]["depends_on"]["migrate"] == {"condition": "service_completed_successfully"}
        assert "migrate" not in " ".join(services[name]["command"]), name
    migrate = services["migrate"]
    assert migrate["command"][-2:] == ["migrate", "--noinput"] and "manage.py" in migrate["command"]
    assert migrate["environment"]["DATABASE_OWNER_URL"].startswith("postgresql://casp:")
    assert services["db"]["environment"]["POSTGRES_USER"] == "casp"


def test_compose_restarts_a_crashed_web_worker_or_beat():
    services = _compose()["services"]
    for name in APP_SERVICES:
        assert services[name]["restart"] == "unless-stopped", name


def test_procfile_runs_each_process_under_the_restart_loop_with_a_per_checkout_control_socket():
    procfile = (settings.BASE_DIR / "Procfile").read_text()
    entries = dict(line.split(":", 1) for line in procfile.splitlines() if line and not line.startswith("#"))
    assert set(entries) == {"web", "worker", "beat"}
    for command in entries.values():
        assert command.strip().startswith("scripts/keep_running.sh ")
    assert '--control-socket "$CASP_RUN_DIR/gunicorn.ctl"' in entries["web"]
    run_sh = (settings.BASE_DIR / "scripts" / "run.sh").read_text()
    assert "honcho" in run_sh and "wait -n" not in run_sh
    assert "honcho==" in (settings.BASE_DIR / "requirements.txt").read_text()
