"""`manage.py load_units`: load both editions of the unit tree (idempotent)."""

import time

from django.core.management.base import BaseCommand

from portal.units.models import Unit
from portal.units.services import units_load


class Command(BaseCommand):
    help = "Load the national root, the 2025 units and the legacy units with their crosswalk."

    def handle(self, *args, **options) -> None:
        started = time.monotonic()
        result = units_load()
        current = Unit.objects.current()
        legacy = Unit.objects.filter(edition=Unit.Edition.LEGACY)
        self.stdout.write(
            f"Units: {result.created} created, {result.updated} updated, {result.unchanged} unchanged "
            f"in {time.monotonic() - started:.1f}s. "
            f"Current: {current.filter(level=Unit.Level.PROVINCE).count()} provinces, "
            f"{current.filter(level=Unit.Level.COMMUNE).count()} communes; "
            f"legacy: {legacy.filter(level=Unit.Level.PROVINCE).count()} provinces, "
            f"{legacy.filter(level=Unit.Level.DISTRICT).count()} districts, "
            f"{legacy.filter(level=Unit.Level.COMMUNE).count()} communes."
        )
