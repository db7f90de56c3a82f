#!/usr/bin/env python
import os
import sys

# Commands that change the schema or load the demo data connect as the database owner; every other
# command, like the web server and the Celery processes, connects as the application role.
OWNER_COMMANDS = {"migrate", "seed_demo", "flush", "backup", "restore"}


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "casp.settings")
    if len(sys.argv) > 1 and sys.argv[1] in OWNER_COMMANDS:
        os.environ.setdefault("CASP_DB_ROLE", "owner")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
