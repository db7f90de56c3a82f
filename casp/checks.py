"""Start-up checks: the PostgreSQL server must offer every extension CASP uses."""

from __future__ import annotations

from typing import Any

from django.core.checks import Error, Tags, register
from django.db import connections

REQUIRED_EXTENSIONS = {
    "vector": "pgvector, for face encodings",
    "pg_trgm": "trigram similarity, for name search",
    "fuzzystrmatch": "phonetic codes, for name search",
    "unaccent": "accent-insensitive name search",
}


class MissingExtensionError(RuntimeError):
    pass


def missing_extensions(connection: Any) -> list[str]:
    """Return the required extensions that the server cannot install, in a fixed order."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM pg_available_extensions")
        available = {row[0] for row in cursor.fetchall()}
    return [name for name in REQUIRED_EXTENSIONS if name not in available]


def require_extensions(connection: Any) -> None:
    """Raise MissingExtensionError naming each missing extension and what it is for."""
    missing = missing_extensions(connection)
    if missing:
        names = ", ".join(f"'{name}' ({REQUIRED_EXTENSIONS[name]})" for name in missing)
        raise MissingExtensionError(
            f"The PostgreSQL server at {connection.settings_dict.get('HOST') or 'localhost'} lacks the "
            f"extension(s) {names}. Install them on that server, or unset DATABASE_URL to use the embedded "
            "PostgreSQL, which has them all."
        )


@register(Tags.database)
def check_extensions(app_configs: Any, databases: Any = None, **kwargs: Any) -> list[Error]:
    errors = []
    for alias in databases or []:
        try:
            require_extensions(connections[alias])
        except MissingExtensionError as exc:
            errors.append(Error(str(exc), id="casp.E001"))
    return errors
