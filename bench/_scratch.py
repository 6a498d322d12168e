"""A scratch database beside DATABASE_URL's for a benchmark run: made fresh, dropped after."""

from __future__ import annotations


def _admin_connection():
    import psycopg
    from django.conf import settings

    database = settings.DATABASES["default"]
    options = database.get("OPTIONS", {})
    return psycopg.connect(
        dbname="postgres",
        user=database["USER"],
        password=database["PASSWORD"] or None,
        # A socket directory (the embedded server) comes as OPTIONS host/port.
        host=database["HOST"] or options.get("host"),
        port=database["PORT"] or options.get("port"),
        autocommit=True,
    )


def scratch_database(suffix: str) -> str:
    """Point Django at a fresh database named after DATABASE_URL's plus `suffix`; its name."""
    import django
    from django.conf import settings

    django.setup()
    database = settings.DATABASES["default"]
    name = database["NAME"] + suffix
    with _admin_connection() as admin:
        admin.execute('DROP DATABASE IF EXISTS "' + name + '"')
        admin.execute('CREATE DATABASE "' + name + '"')
    database["NAME"] = name
    return name


def drop(name: str) -> None:
    from django.db import connections

    connections.close_all()
    with _admin_connection() as admin:
        admin.execute('DROP DATABASE IF EXISTS "' + name + '"')
