"""The database half of a backup: a consistent copy out, a whole-database replacement in (SQLite, PostgreSQL).

SQLite goes through its online backup API, so the copy is consistent while the portal writes, and the
restore replaces every page of the live database in one write transaction (an in-memory test database
included). PostgreSQL goes through pg_dump (custom format) under a snapshot that the row counts were
read in, and back through pg_restore's SQL fed to psql inside one transaction: a failure anywhere
leaves the database as it was.
"""

import contextlib
import os
import shutil
import sqlite3
import subprocess
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from django.db.backends.base.base import BaseDatabaseWrapper

DUMP_NAMES = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
# How long the PostgreSQL restore waits for a table another process holds (a web or worker process
# left running) before it gives up and changes nothing.
LOCK_TIMEOUT = "10s"
CHUNK = 1024 * 1024


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


def check_dump(connection: BaseDatabaseWrapper, path: Path) -> None:
    """Refuse a dump this machine cannot load, before anything is replaced."""
    if connection.vendor == "sqlite":
        try:
            with _closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as staged:
                result = staged.execute("PRAGMA quick_check").fetchone()[0]
        except sqlite3.Error as exc:
            raise BackupError(f"The archive's database is not a readable SQLite file: {exc}") from exc
        if result != "ok":
            raise BackupError(f"The archive's SQLite database is damaged: {result}")
        return
    _run([_tool("pg_restore"), "--list", str(path)], env=None, what="pg_restore --list (reading the dump)")


def load(connection: BaseDatabaseWrapper, source: Path, *, keep_tables: Iterable[str]) -> None:
    """Replace the whole database with the dump at `source`, in one transaction.

    Tables not in `keep_tables` (the archive's) are dropped: a newer migration made them, and left in
    place they would stop `migrate` from making them again.
    """
    supported(connection)
    if connection.in_atomic_block:
        raise BackupError("A restore cannot run inside a transaction.")
    if connection.vendor == "sqlite":
        _sqlite_load(connection, source)
    else:
        _pg_load(connection, source, keep_tables=set(keep_tables))


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


def _sqlite_load(connection: BaseDatabaseWrapper, source: Path) -> None:
    connection.ensure_connection()
    try:
        with _closing(sqlite3.connect(f"file:{source}?mode=ro", uri=True)) as staged:
            # Every page of the live database, in one write transaction: other connections see the old
            # database or the new one, and a failure rolls back to the old one.
            staged.backup(connection.connection)
    except sqlite3.Error as exc:
        raise BackupError(f"SQLite refused the restore (nothing was changed): {exc}") from exc


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


def _pg_load(connection: BaseDatabaseWrapper, source: Path, *, keep_tables: set[str]) -> None:
    """pg_restore turns the dump into SQL; psql runs it in one transaction, after a prelude that locks
    every table (waiting at most LOCK_TIMEOUT for a process left running) and drops those not kept.

    pg_restore --single-transaction cannot drop the tables a newer migration made (they may refer to the
    tables it replaces), and psql --single-transaction would commit half a script if pg_restore died
    half-way; so this process writes BEGIN, pumps the script, and writes COMMIT only when pg_restore
    ended well. Any other end closes psql's input inside the transaction, and the server rolls it back.
    """
    restore_args = [_tool("pg_restore"), "--clean", "--if-exists", "--no-owner", "--file=-", str(source)]
    psql_args, env = _command(connection, "psql", ["--no-psqlrc", "--quiet", "--set=ON_ERROR_STOP=1", "--file=-"])
    env["PGOPTIONS"] = f"{env.get('PGOPTIONS', '')} -c client_min_messages=warning"
    quote = connection.ops.quote_name
    tables = connection.introspection.table_names()
    drop = [table for table in tables if table not in keep_tables]
    prelude = "BEGIN;\n"
    if tables:
        # The script sets lock_timeout = 0 (wait forever); taking every lock first, here, bounds the wait.
        prelude += f"SET LOCAL lock_timeout = '{LOCK_TIMEOUT}';\n"
        prelude += f"LOCK TABLE {', '.join(quote(t) for t in tables)} IN ACCESS EXCLUSIVE MODE;\n"
    if drop:
        prelude += f"DROP TABLE {', '.join(quote(t) for t in drop)} CASCADE;\n"
    with tempfile.TemporaryFile() as restore_err, tempfile.TemporaryFile() as psql_err:
        pipe, quiet = subprocess.PIPE, subprocess.DEVNULL
        psql = subprocess.Popen(psql_args, stdin=pipe, stdout=quiet, stderr=psql_err, env=env)  # noqa: S603
        restore = subprocess.Popen(restore_args, stdout=pipe, stderr=restore_err)  # noqa: S603
        try:
            psql.stdin.write(prelude.encode())
            while chunk := restore.stdout.read(CHUNK):
                psql.stdin.write(chunk)
            if restore.wait() == 0:
                psql.stdin.write(b"COMMIT;\n")
        except BrokenPipeError:
            pass  # psql stopped at an error; its message is read below
        finally:
            if restore.poll() is None:
                restore.kill()
            restore.stdout.close()
            restore.wait()
            with contextlib.suppress(BrokenPipeError):
                psql.stdin.close()
            psql.wait()
        if psql.returncode != 0:
            errors = _read(psql_err)
            hint = " Stop the web and worker processes first." if "lock timeout" in errors else ""
            raise BackupError(
                f"psql stopped at an error and the restore was rolled back (nothing was changed): "
                f"{_last_lines(errors)}.{hint}"
            )
        if restore.returncode != 0:
            raise BackupError(
                "pg_restore failed and the restore was rolled back (nothing was changed): "
                + _last_lines(_read(restore_err))
            )


def _read(file) -> str:
    file.seek(0)
    return file.read().decode(errors="replace")
