"""`manage.py backup [--output PATH]`: one archive of the database and every uploaded file."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from portal.backups.services import BackupError, backup_create, count_text, size_text


class Command(BaseCommand):
    help = (
        "Write one .tar.gz archive of the database (SQLite: a consistent online copy; PostgreSQL: pg_dump) and "
        "of every file under MEDIA_ROOT, with a manifest.json of row counts, the latest migration of each app "
        "and the SHA-256 of every file. Default: BACKUP_DIR/portal-YYYYMMDD-HHMMSS.tar.gz. It may run while "
        "the portal runs; the archive appears under its name only when complete."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--output", type=Path, help="the archive to write, or a folder to write it in")

    def handle(self, *args, output: Path | None = None, **options) -> None:
        try:
            result = backup_create(output=output)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        for name in result.passed_over:
            self.stderr.write(f"  not archived: {name}")
        if options["verbosity"] == 0:
            return  # cron: silent unless it fails
        manifest = result.manifest
        self.stdout.write(f"Backup written to {result.path} ({size_text(result.size)}).")
        self.stdout.write(
            f"  database: {manifest.vendor}, {count_text(len(manifest.row_counts), 'table')}, "
            f"{count_text(manifest.rows, 'row')} ({manifest.database_file}, {size_text(manifest.database.size)})"
        )
        self.stdout.write(f"  media: {count_text(len(manifest.media), 'file')}, {size_text(manifest.media_bytes)}")
        self.stdout.write(
            f"  manifest.json: the latest migration of {count_text(len(manifest.migrations), 'app')}, "
            "row counts, SHA-256 of every file"
        )
        if options["verbosity"] >= 2:
            for table, rows in manifest.row_counts.items():
                self.stdout.write(f"    {table}: {rows:,}")
