"""The application's PostgreSQL role: owns nothing, holds only the privileges it needs.

The web server, the Celery worker and beat connect as the *application role*
(``casp_app`` for the embedded server, the user of ``DATABASE_URL`` otherwise).
Migrations and the demo seed connect as the *owner* (``CASP_DB_ROLE=owner``,
which manage.py sets for those commands), and after every ``migrate`` the
owner re-grants the application role's privileges here:

- SELECT, INSERT, UPDATE, DELETE on ordinary tables; USAGE on sequences;
- SELECT, INSERT only on append-only tables (a trigger named ``*_append_only``);
- no DELETE on tables whose rows are never deleted (a trigger named
  ``*_no_delete`` or ``*_immutable``);
- SELECT only on ``django_migrations``;
- never TRUNCATE, REFERENCES or TRIGGER, never ownership: without them the
  role cannot TRUNCATE the audit log, disable its triggers (ALTER TABLE needs
  ownership) or set ``session_replication_role`` (needs a superuser).

Default privileges give tables created by later migrations the ordinary
grants at once; the next post-migrate pass narrows them.
"""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import ImproperlyConfigured

logger = logging.getLogger(__name__)

TABLE_PRIVILEGES = "SELECT, INSERT, UPDATE, DELETE"
READ_ONLY_TABLES = ("django_migrations",)

_TABLES_BY_TRIGGER = """
SELECT DISTINCT c.relname
FROM pg_trigger t
JOIN pg_class c ON c.oid = t.tgrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE NOT t.tgisinternal AND n.nspname = 'public' AND t.tgname ~ %s
ORDER BY c.relname
"""


def _ident(cursor: Any, name: str) -> str:
    from psycopg import sql

    return sql.Identifier(name).as_string(cursor.connection)


def append_only_tables(cursor: Any) -> list[str]:
    """Return the tables whose rows a trigger refuses to UPDATE or DELETE."""
    cursor.execute(_TABLES_BY_TRIGGER, [r"_append_only$"])
    return [row[0] for row in cursor.fetchall()]


def no_delete_tables(cursor: Any) -> list[str]:
    """Return the tables whose rows a trigger refuses to DELETE (updates may be allowed)."""
    cursor.execute(_TABLES_BY_TRIGGER, [r"_(no_delete|immutable)$"])
    return [row[0] for row in cursor.fetchall()]


def app_role_ensure(cursor: Any, *, role: str, password: str | None) -> None:
    """Create the application role if it is missing (LOGIN, no other attribute); refuse a privileged one."""
    cursor.execute("SELECT rolsuper, rolcreatedb, rolcreaterole, rolbypassrls FROM pg_roles WHERE rolname = %s", [role])
    row = cursor.fetchone()
    if row is None:
        statement = f"CREATE ROLE {_ident(cursor, role)} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS"
        if password:
            from psycopg import sql

            statement += " PASSWORD " + sql.Literal(password).as_string(cursor.connection)
        cursor.execute(statement)
        logger.info("created the application database role %s", role)
        return
    if any(row):
        raise ImproperlyConfigured(
            f"The application database role {role!r} must not be a superuser or have CREATEDB, CREATEROLE or "
            "BYPASSRLS; ALTER ROLE it NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS."
        )


def app_role_owned_objects(cursor: Any, *, role: str) -> list[str]:
    """Return what the role owns in this database (tables, functions, schemas, the database itself)."""
    cursor.execute(
        """
        WITH r AS (SELECT oid FROM pg_roles WHERE rolname = %s)
        SELECT 'relation ' || relname FROM pg_class, r WHERE relowner = r.oid
        UNION ALL SELECT 'function ' || proname FROM pg_proc, r WHERE proowner = r.oid
        UNION ALL SELECT 'schema ' || nspname FROM pg_namespace, r WHERE nspowner = r.oid
        UNION ALL SELECT 'database ' || datname FROM pg_database, r
            WHERE datdba = r.oid AND datname = current_database()
        """,
        [role],
    )
    return [row[0] for row in cursor.fetchall()]


def app_privileges_grant(connection: Any, *, role: str, password: str | None = None) -> bool:
    """Give ``role`` exactly the privileges the application needs; return False when there is nothing to do.

    Runs as the owner (the migrating connection). A deployment that connects
    the application and migrations as one user is left as it is, with a warning.
    """
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user")
        owner = cursor.fetchone()[0]
        if not role or role == owner:
            logger.warning(
                "The application connects as the owner %r; set DATABASE_OWNER_URL and a separate DATABASE_URL role "
                "(docs/security.md, Database roles).",
                owner,
            )
            return False
        app_role_ensure(cursor, role=role, password=password)
        owned = app_role_owned_objects(cursor, role=role)
        if owned:
            raise ImproperlyConfigured(
                f"The application database role {role!r} owns {', '.join(owned[:5])}; it must own nothing. "
                f"REASSIGN OWNED BY {role} TO {owner}."
            )
        app, own = _ident(cursor, role), _ident(cursor, owner)
        cursor.execute("SELECT current_database()")
        database = _ident(cursor, cursor.fetchone()[0])
        statements = [
            f"GRANT CONNECT ON DATABASE {database} TO {app}",
            "REVOKE CREATE ON SCHEMA public FROM PUBLIC",
            f"GRANT USAGE ON SCHEMA public TO {app}",
            f"REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {app}",
            f"GRANT {TABLE_PRIVILEGES} ON ALL TABLES IN SCHEMA public TO {app}",
            f"REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM {app}",
            f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {app}",
            f"ALTER DEFAULT PRIVILEGES FOR ROLE {own} IN SCHEMA public GRANT {TABLE_PRIVILEGES} ON TABLES TO {app}",
            f"ALTER DEFAULT PRIVILEGES FOR ROLE {own} IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO {app}",
        ]
        for table in append_only_tables(cursor):
            statements.append(f"REVOKE UPDATE, DELETE ON {_ident(cursor, table)} FROM {app}")
        for table in no_delete_tables(cursor):
            statements.append(f"REVOKE DELETE ON {_ident(cursor, table)} FROM {app}")
        for table in READ_ONLY_TABLES:
            statements.append(f"REVOKE INSERT, UPDATE, DELETE ON {_ident(cursor, table)} FROM {app}")
        for statement in statements:
            cursor.execute(statement)
    return True
