"""`manage.py restore ARCHIVE [--yes] [--check]`: replace the database and the uploaded files with a backup."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from portal.backups.archive import Manifest
from portal.backups.services import BackupError, count_text, restore_prepare, size_text


class Command(BaseCommand):
    help = (
        "Replace the database and every file under MEDIA_ROOT with those of a `backup` archive. The archive is "
        "unpacked and checked first (manifest, size and SHA-256 of every file, database vendor, migrations); "
        "on any problem nothing is changed. Stop the web and worker processes first. Asks for confirmation "
        "unless --yes; --check only checks the archive."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("archive", type=Path, help="a .tar.gz written by `manage.py backup`")
        parser.add_argument("--yes", action="store_true", help="do not ask for confirmation")
        parser.add_argument("--check", action="store_true", help="check the archive, change nothing")

    def handle(self, *args, archive: Path, yes: bool = False, check: bool = False, **options) -> None:
        try:
            with restore_prepare(archive=archive) as prepared:
                self._describe(archive, prepared.manifest)
                if check:
                    self.stdout.write("The archive is complete, matches its manifest and can be restored here.")
                    return
                if not yes and not self._confirmed():
                    raise CommandError("Restore cancelled: nothing was changed.")
                result = prepared.apply()
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        manifest = prepared.manifest
        self.stdout.write(
            f"Database restored: {count_text(len(manifest.row_counts), 'table')}, {count_text(manifest.rows, 'row')}."
        )
        self.stdout.write(
            f"Media restored: {count_text(result.files_restored, 'file')} under {settings.MEDIA_ROOT}"
            f" ({count_text(result.files_removed, 'file')} not in the archive removed)."
        )
        if result.pending_migrations:
            self.stdout.write(
                f"The archive predates {count_text(len(result.pending_migrations), 'migration')} of this code: "
                "run `python manage.py migrate` before starting the portal."
            )
        if result.counts_differ:
            for table, (expected, found) in result.counts_differ.items():
                self.stderr.write(f"  {table}: {expected} rows in the manifest, {found} in the database")
            raise CommandError(
                f"Row counts differ from the manifest in {count_text(len(result.counts_differ), 'table')} (above)."
            )
        self.stdout.write("Every table has the row count of the manifest.")

    def _describe(self, archive: Path, manifest: Manifest) -> None:
        self.stdout.write(f"Archive {archive}, made {manifest.created_at}:")
        self.stdout.write(
            f"  database: {manifest.vendor}, {count_text(len(manifest.row_counts), 'table')}, "
            f"{count_text(manifest.rows, 'row')}; media: {count_text(len(manifest.media), 'file')}, "
            f"{size_text(manifest.media_bytes)}"
        )
        self.stdout.write("  every file has the size and SHA-256 of the manifest; its migrations are known here.")

    def _confirmed(self) -> bool:
        name = connection.settings_dict["NAME"]
        self.stdout.write(
            f"This replaces the {connection.vendor} database {name} and every file under {settings.MEDIA_ROOT} "
            "with the archive's. Stop the web and worker processes first."
        )
        try:
            return input("Type 'yes' to restore: ").strip().lower() == "yes"
        except EOFError:
            return False
