import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from casp.env import env_bool, env_int, env_str


def test_malformed_boolean_is_refused_naming_the_variable(monkeypatch):
    monkeypatch.setenv("CASP_FLAG", "maybe")
    with pytest.raises(ImproperlyConfigured, match="CASP_FLAG must be a boolean"):
        env_bool("CASP_FLAG", False)


@pytest.mark.parametrize(("raw", "value"), [("true", True), ("1", True), ("Off", False), ("no", False)])
def test_booleans_accept_the_usual_spellings(monkeypatch, raw, value):
    monkeypatch.setenv("CASP_FLAG", raw)
    assert env_bool("CASP_FLAG", not value) is value


def test_malformed_integer_is_refused(monkeypatch):
    monkeypatch.setenv("CASP_N", "ten")
    with pytest.raises(ImproperlyConfigured, match="CASP_N must be an integer"):
        env_int("CASP_N", 1)


def test_secret_can_come_from_a_file(monkeypatch, tmp_path):
    secret = tmp_path / "key"
    secret.write_text("s3cr3t\n")
    monkeypatch.setenv("CASP_KEY_FILE", str(secret))
    assert env_str("CASP_KEY") == "s3cr3t"


def test_secret_file_that_cannot_be_read_is_named(monkeypatch, tmp_path):
    monkeypatch.setenv("CASP_KEY_FILE", str(tmp_path / "missing"))
    with pytest.raises(ImproperlyConfigured, match="CASP_KEY_FILE points to"):
        env_str("CASP_KEY")


def _settings_in_subprocess(extra_env):
    env = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG", "DJANGO_SETTINGS_MODULE"}}
    env.update({"DJANGO_SETTINGS_MODULE": "casp.settings", "REQUIRE_BROKER": "false", **extra_env})
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.conf import settings; print(settings.DEBUG)",
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        cwd=settings.BASE_DIR,
    )


def test_production_mode_without_secret_key_refuses_to_start_with_a_clear_message():
    result = _settings_in_subprocess({})
    assert result.returncode != 0
    assert "SECRET_KEY is required when DEBUG is off" in result.stderr


def test_debug_is_off_by_default_and_production_sets_secure_cookies_and_hsts():
    assert settings.DEBUG is False
    assert settings.SESSION_COOKIE_SECURE is True
    assert settings.CSRF_COOKIE_SECURE is True
    assert settings.SECURE_HSTS_SECONDS >= 31536000


def test_database_url_must_be_postgresql():
    result = _settings_in_subprocess({"SECRET_KEY": "x" * 50, "DATABASE_URL": "sqlite:///db.sqlite3"})
    assert result.returncode != 0
    assert "CASP runs on PostgreSQL only" in result.stderr


def test_first_run_writes_a_private_env_with_debug_and_a_generated_key_and_keeps_an_existing_one(tmp_path):
    from casp.env import dotenv_create

    path = tmp_path / ".env"
    assert dotenv_create(path) is True
    lines = dict(line.split("=", 1) for line in path.read_text().splitlines() if not line.startswith("#"))
    assert lines["DEBUG"] == "true" and len(lines["SECRET_KEY"]) >= 50
    assert path.stat().st_mode & 0o077 == 0
    path.write_text("DEBUG=true\nSECRET_KEY=kept\n")
    assert dotenv_create(path) is False
    assert "kept" in path.read_text()
    assert dotenv_create(tmp_path / "other") and (tmp_path / "other").read_text() != path.read_text()


def test_env_file_lets_documented_commands_run_without_typing_debug(tmp_path):
    from casp.env import dotenv_create

    dotenv_create(tmp_path / ".env")
    env = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG", "DJANGO_SETTINGS_MODULE"}}
    env.update({"CASP_ENV_FILE": str(tmp_path / ".env"), "REQUIRE_BROKER": "false"})
    env.pop("CASP_DB_ROLE", None)
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        cwd=settings.BASE_DIR,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert "no issues" in result.stdout


def test_the_real_environment_wins_over_the_env_file_and_production_still_needs_a_key(tmp_path):
    (tmp_path / ".env").write_text("# dev\nDEBUG=true\nexport NOTIFIER='console'\n")
    result = _settings_in_subprocess({"CASP_ENV_FILE": str(tmp_path / ".env"), "DEBUG": "false"})
    assert result.returncode != 0
    assert "SECRET_KEY is required when DEBUG is off" in result.stderr
    result = _settings_in_subprocess({"CASP_ENV_FILE": str(tmp_path / "absent")})  # production: no .env at all
    assert result.returncode != 0
    assert "SECRET_KEY is required when DEBUG is off" in result.stderr
    assert _settings_in_subprocess({"CASP_ENV_FILE": str(tmp_path / ".env")}).stdout.strip() == "True"


def test_a_malformed_env_file_line_is_refused_naming_the_file_and_line(tmp_path):
    from casp.env import dotenv_load

    (tmp_path / ".env").write_text("# a comment\nnot a setting\n")
    with pytest.raises(ImproperlyConfigured, match=r"\.env, line 2: expected NAME=value"):
        dotenv_load(tmp_path / ".env")


def test_the_env_file_is_git_ignored_and_kept_out_of_the_image():
    assert ".env" in (settings.BASE_DIR / ".gitignore").read_text().split()
    assert ".env" in (settings.BASE_DIR / ".dockerignore").read_text().split()
