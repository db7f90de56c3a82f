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


DEV_ONLY = ("pytest", "pytest-django", "pytest-playwright", "playwright", "ruff", "import-linter", "factory-boy",
            "faker", "freezegun", "pypdf", "polib", "pyyaml", "moto")  # fmt: skip


def _locked(name: str) -> dict[str, str]:
    """Return {package: version} of a locked requirements file, checking every pin carries a hash."""
    pins: dict[str, str] = {}
    text = (settings.BASE_DIR / name).read_text().replace("\\\n", " ")
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        match = re.match(r"^([A-Za-z0-9_.\-]+)(\[[^\]]*\])?==(\S+)", line)
        assert match, (name, line)
        assert "--hash=sha256:" in line, (name, line)
        pins[match.group(1).lower().replace("_", "-")] = match.group(3)
    return pins


def _dockerfile() -> list[tuple[str, str]]:
    """Return the Dockerfile's (INSTRUCTION, arguments) in order, continuation lines joined."""
    text = (settings.BASE_DIR / "Dockerfile").read_text().replace("\\\n", " ")
    lines = [line.strip() for line in text.splitlines() if line.strip() and not line.strip().startswith("#")]
    return [(line.split(None, 1)[0].upper(), line.split(None, 1)[1]) for line in lines]


def test_runtime_and_development_requirements_are_split_and_locked_with_hashes():
    runtime, dev = _locked("requirements.txt"), _locked("requirements-dev.txt")
    assert {"django", "celery", "gunicorn", "psycopg", "prometheus-client"} <= set(runtime)
    for tool in DEV_ONLY:
        assert tool not in runtime, f"{tool} is a development tool: it belongs in requirements-dev.in"
    assert {"pytest", "ruff", "import-linter", "playwright"} <= set(dev)
    assert all(runtime[name] == version for name, version in dev.items() if name in runtime)
    makefile = (settings.BASE_DIR / "Makefile").read_text()
    assert "--require-hashes -r requirements.txt" in makefile and "--require-hashes -r requirements-dev.txt" in makefile


def test_the_production_image_installs_only_runtime_requirements_and_runs_as_a_non_root_user():
    instructions = _dockerfile()
    runs = " ".join(args for kind, args in instructions if kind == "RUN")
    assert "--require-hashes -r requirements.txt" in runs
    assert "requirements-dev" not in (settings.BASE_DIR / "Dockerfile").read_text()
    users = [args.strip() for kind, args in instructions if kind == "USER"]
    assert users, "the image must switch to a non-root user"
    assert users[-1].split(":")[0] not in {"root", "0"}
    assert re.search(rf"useradd [^&]*--uid {users[-1]}\b", runs)  # a numeric uid: Kubernetes can check runAsNonRoot
    last_user = max(i for i, (kind, _) in enumerate(instructions) if kind == "USER")
    assert all(kind != "RUN" for kind, _ in instructions[last_user:])
