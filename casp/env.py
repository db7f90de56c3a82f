"""Strict readers for settings taken from the environment.

Each reader accepts ``NAME`` or ``NAME_FILE`` (a path whose content is the
value, for Docker and Kubernetes secrets) and refuses malformed values with
an error that names the variable, instead of guessing.

A development checkout also has a git-ignored ``.env`` (written by the first
``make run``: DEBUG on and a generated SECRET_KEY); settings load it first,
without overriding a variable the real environment sets.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}
_MISSING = object()


def _raw(name: str) -> str | None:
    file_var = f"{name}_FILE"
    if os.environ.get(file_var):
        if os.environ.get(name):
            raise ImproperlyConfigured(f"Set either {name} or {file_var}, not both.")
        path = Path(os.environ[file_var])
        try:
            return path.read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise ImproperlyConfigured(f"{file_var} points to {path}, which cannot be read: {exc.strerror}.") from exc
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return None
    return value.strip()


def env_str(name: str, default: object = _MISSING) -> str:
    """Return the variable as text; without a default it is required."""
    value = _raw(name)
    if value is None:
        if default is _MISSING:
            raise ImproperlyConfigured(f"The environment variable {name} is required but not set.")
        return default  # type: ignore[return-value]
    return value


def env_bool(name: str, default: bool) -> bool:
    """Return the variable as a boolean; only true/false, 1/0, yes/no, on/off are accepted."""
    value = _raw(name)
    if value is None:
        return default
    lowered = value.lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ImproperlyConfigured(
        f"The environment variable {name} must be a boolean (true/false, 1/0, yes/no, on/off), got {value!r}."
    )


def env_int(name: str, default: int) -> int:
    """Return the variable as an integer."""
    value = _raw(name)
    if value is None:
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"The environment variable {name} must be an integer, got {value!r}.") from None


def env_float(name: str, default: float) -> float:
    """Return the variable as a number."""
    value = _raw(name)
    if value is None:
        return default
    try:
        return float(value)
    except ValueError:
        raise ImproperlyConfigured(f"The environment variable {name} must be a number, got {value!r}.") from None


def env_list(name: str, default: list[str]) -> list[str]:
    """Return a comma-separated variable as a list of non-empty items."""
    value = _raw(name)
    if value is None:
        return list(default)
    return [item.strip() for item in value.split(",") if item.strip()]


def dotenv_load(path: Path) -> list[str]:
    """Set the ``KEY=value`` lines of ``path`` that the environment does not set; return the names set.

    Blank lines and ``#`` comments are skipped; a value may be quoted. A missing
    file sets nothing (production has none).
    """
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return []
    except OSError as exc:
        raise ImproperlyConfigured(f"{path} cannot be read: {exc.strerror}.") from exc
    loaded = []
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        name, sep, value = line.removeprefix("export ").partition("=")
        name, value = name.strip(), value.strip()
        if not sep or not name.isidentifier():
            raise ImproperlyConfigured(f"{path}, line {number}: expected NAME=value, got {line!r}.")
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            value = value[1:-1]
        if name not in os.environ:
            os.environ[name] = value
            loaded.append(name)
    return loaded


def dotenv_create(path: Path) -> bool:
    """Write a development ``.env`` (DEBUG on, a new random SECRET_KEY) unless one exists; return whether written."""
    if path.exists():
        return False
    content = (
        "# Written by the first `make run` for development on this machine; git-ignored, never deployed.\n"
        "# Production sets its variables in the real environment (docs/configuration.md).\n"
        "DEBUG=true\n"
        f"SECRET_KEY={secrets.token_urlsafe(50)}\n"
    )
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(content)
    return True
