"""The database half of a backup: a consistent copy of the whole database (SQLite, PostgreSQL).

SQLite goes through its online backup API, so the copy is consistent while the portal writes.
PostgreSQL goes through pg_dump (custom format) under a snapshot that the row counts were read in.
"""

import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path

from django.db.backends.base.base import BaseDatabaseWrapper

DUMP_NAMES = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why and what to do."""


@dataclass(frozen=True)
class DatabaseState:
    """Row counts per table and the latest applied migration per app, read from one snapshot."""

    row_counts: dict[str, int]
    migrations: dict[str, str]


def supported(connection: BaseDatabaseWrapper, *, tools: tuple[str, ...] = ()) -> None:
    """Refuse another vendor, or PostgreSQL without the client programs `tools`, before anything starts."""
    if connection.vendor not in DUMP_NAMES:
        raise BackupError(f"Backups support SQLite and PostgreSQL, not {connection.vendor}.")
    if connection.vendor == "postgresql":
        for tool in tools:
            _tool(tool)


def read_state(connection: BaseDatabaseWrapper, cursor) -> DatabaseState:
    """The state seen by `cursor` (any DB-API cursor on a database of the connection's vendor)."""
    tables = connection.introspection.table_names(cursor)
    if "django_migrations" not in tables:
        raise BackupError("The database has no django_migrations table: it was never migrated.")
    quote = connection.ops.quote_name
    counts = {}
    for table in tables:
        cursor.execute(f"SELECT COUNT(*) FROM {quote(table)}")  # noqa: S608 - a quoted name from the catalogue
        counts[table] = cursor.fetchone()[0]
    cursor.execute("SELECT app, name FROM django_migrations ORDER BY id")
    # Rows are written as migrations are applied: the last row of an app is its latest migration.
    migrations = dict(cursor.fetchall())
    return DatabaseState(row_counts=counts, migrations=dict(sorted(migrations.items())))


def dump(connection: BaseDatabaseWrapper, dest: Path) -> DatabaseState:
    """Write a consistent copy of the database to `dest`; the state returned is that of the copy."""
    supported(connection)
    if connection.in_atomic_block:
        # pg_dump would miss the transaction's rows, and SQLite cannot copy a database its own
        # connection is writing to (the copy would wait for ever).
        raise BackupError("A backup cannot run inside a transaction.")
    if connection.vendor == "sqlite":
        return _sqlite_dump(connection, dest)
    return _pg_dump(connection, dest)


# --- SQLite ----------------------------------------------------------------------------------------


class _closing:
    """sqlite3's own context manager commits but does not close."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def __enter__(self) -> sqlite3.Connection:
        return self.conn

    def __exit__(self, *exc) -> None:
        self.conn.close()


def _sqlite_dump(connection: BaseDatabaseWrapper, dest: Path) -> DatabaseState:
    connection.ensure_connection()
    try:
        with _closing(sqlite3.connect(dest)) as copy:
            # One step (pages=-1): the whole database is copied under one read lock, a consistent snapshot.
            connection.connection.backup(copy)
            # The copy inherits the live journal mode (WAL); the archive needs one self-contained file.
            copy.execute("PRAGMA journal_mode=DELETE")
            return read_state(connection, copy.cursor())
    except sqlite3.Error as exc:
        raise BackupError(f"SQLite could not copy the database: {exc}") from exc


# --- PostgreSQL ------------------------------------------------------------------------------------


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(
            f"{name} was not found on PATH. Install the PostgreSQL client programs of the server's major "
            "version (Debian: apt-get install postgresql-client)."
        )
    return path


def _command(connection: BaseDatabaseWrapper, tool: str, options: list[str]) -> tuple[list[str], dict[str, str]]:
    """The tool's arguments and environment for the connection's database (as `dbshell` builds them).

    connection.settings_dict is read now, so a test run reaches the test database; the password goes
    through the environment, never the command line.
    """
    args, env = connection.client.settings_to_cmd_args_env(connection.settings_dict, options)
    return [_tool(tool), *args[1:]], {**os.environ, **(env or {})}


def _run(args: list[str], *, env: dict[str, str] | None, what: str) -> None:
    try:
        result = subprocess.run(args, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    except OSError as exc:
        raise BackupError(f"{what} could not be started: {exc}") from exc
    if result.returncode != 0:
        raise BackupError(f"{what} failed (exit status {result.returncode}): {_last_lines(result.stderr)}")


def _last_lines(text: str, n: int = 5) -> str:
    lines = [line for line in text.strip().splitlines() if line.strip()]
    return " | ".join(lines[-n:]) or "no message"


def _pg_dump(connection: BaseDatabaseWrapper, dest: Path) -> DatabaseState:
    # A connection of our own holds a snapshot open: the counts are read in it and pg_dump dumps it,
    # so the manifest describes exactly the rows of the dump while the portal keeps writing.
    holder = connection.copy()
    try:
        holder.ensure_connection()
        holder.set_autocommit(False)
        with holder.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            state = read_state(holder, cursor)
            options = ["--format=custom", f"--snapshot={snapshot}", f"--file={dest}"]
            args, env = _command(connection, "pg_dump", options)
            _run(args, env=env, what="pg_dump")
        holder.rollback()
    finally:
        holder.close()
    return state
