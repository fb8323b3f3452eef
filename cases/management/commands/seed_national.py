"""`manage.py seed_national --cases N [--seed S] [--force-clear]`: the national benchmark dataset, deterministic."""

import time
from importlib import import_module

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, OutputWrapper
from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.reports import cache as stats_cache
from portal.units.models import Unit

DEFAULT_SEED = 138
REPORT_EVERY = 5.0  # seconds between progress lines when stderr is not a terminal


class Progress:
    """Plain-text progress on stderr: "cases 350,000/1,000,000 (35%) 42 s" (redrawn on a terminal)."""

    def __init__(self, stream: OutputWrapper) -> None:
        self.stream = stream
        self.tty = stream.isatty()
        self.started = time.monotonic()
        self.last = 0.0
        self.stage = ""

    def __call__(self, stage: str, done: int, total: int) -> None:
        now = time.monotonic()
        finished = bool(total) and done >= total
        if stage == self.stage and not finished and now - self.last < (0.5 if self.tty else REPORT_EVERY):
            return
        if self.tty and self.stage and stage != self.stage:
            self._write("\n")
        self.stage, self.last = stage, now
        percent = f" ({100 * done // total}%)" if total else ""
        line = f"{stage} {done:,}/{total:,}{percent} {now - self.started:.0f} s"
        self._write(f"\r{line}\033[K" if self.tty else line + "\n")

    def close(self) -> None:
        if self.tty and self.stage:
            self._write("\n")

    def _write(self, text: str) -> None:
        self.stream.write(text, style_func=str, ending="")
        self.stream.flush()


def seeders() -> list:
    return [import_module(path) for path in settings.PORTAL_NATIONAL_SEEDERS]


class Command(BaseCommand):
    help = (
        "Fill the database with the national dataset: N cases over ten years in all 34 provinces (legacy units "
        "before 1 July 2025, current ones after) with parties and timelines, plus crackdown campaigns, hotspots, "
        "propaganda, good-practice models, inspections and recommendations in proportion. The same seed gives "
        "the same data. Needs the units (`load_units`); refuses to run on a database that already has cases "
        "unless --force-clear."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--cases", type=int, default=1_000_000, help="number of cases (default 1,000,000)")
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help=f"random seed (default {DEFAULT_SEED})")
        parser.add_argument(
            "--force-clear",
            action="store_true",
            help="first delete every case, campaign, hotspot, propaganda program, good-practice model, inspection "
            "and recommendation (demo records too)",
        )

    def handle(self, *args, cases: int, seed: int, force_clear: bool = False, **options) -> None:
        if cases < 1:
            raise CommandError(_("--cases must be at least 1."))
        if not Unit.objects.current().filter(level=Unit.Level.PROVINCE).exists():
            raise CommandError(_("Units are not loaded: run `python manage.py load_units` first."))
        modules = seeders()
        filled = [m.__name__ for m in modules if m.exists()]
        if filled and not force_clear:
            raise CommandError(
                _(
                    "The database already holds records seed_national would write (%(apps)s). Use a fresh "
                    "database, or --force-clear to delete them first."
                )
                % {"apps": ", ".join(filled)}
            )
        started = time.monotonic()
        progress = Progress(self.stderr)
        today = timezone.localdate()
        try:
            if force_clear:
                for module in modules:  # cases first: clearing campaigns would otherwise update every linked case
                    progress(f"clearing {module.__name__}", 0, 0)
                    module.clear()
            lines = [m.seed(cases=cases, seed=seed, today=today, progress=progress) for m in modules]
            if connection.vendor == "postgresql":
                progress("analyze", 0, 0)
                with connection.cursor() as cursor:
                    cursor.execute("ANALYZE")
        finally:
            progress.close()
        for line in lines:
            self.stdout.write(line)
        stats_cache.changed()  # COPY and bulk inserts send no signals
        self.stdout.write(f"seed_national: done in {time.monotonic() - started:.0f} s (seed {seed}).")
