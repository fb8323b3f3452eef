"""`manage.py build_summaries --period 2021-9M [--unit CODE] [--edition legacy]`: build summary snapshots."""

import time

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from portal.reports.periods import PeriodError, parse_period
from portal.reports.snapshots import CHUNK_SIZE, Outcome, canonical_period, summaries_build, summary_units
from portal.units.models import Unit


class Command(BaseCommand):
    help = (
        "Build the summary snapshots of a period: for one unit, or by default for the national root, every "
        "province and every commune with cases in the period. A draft snapshot is replaced; an approved one "
        "is kept, and different figures become a new version that needs approval again."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--period", required=True, help="2021, 2021-Q3, 2021-H1, 2021-9M, 2021-09, 2021-YTD-09")
        parser.add_argument("--unit", help="the code of one unit (default: every unit described above)")
        parser.add_argument(
            "--edition",
            choices=Unit.Edition.values,
            default=Unit.Edition.CURRENT,
            help="the unit list of --unit, or the tree to build without it (legacy: provinces, and the "
            "districts and communes with cases of their own)",
        )

    def handle(self, *args, **options) -> None:
        try:
            period = canonical_period(parse_period(options["period"]))
        except PeriodError as exc:
            raise CommandError(str(exc)) from exc
        edition = options["edition"]
        if options["unit"]:
            unit = Unit.objects.filter(code=options["unit"], edition=edition).first()
            if unit is None:
                raise CommandError(
                    _("No unit with code %(code)s in the %(edition)s list.")
                    % {"code": options["unit"], "edition": edition}
                )
            unit_ids = [unit.pk]
        else:
            unit_ids = list(summary_units(period=period, edition=edition).values_list("pk", flat=True))
        self.stdout.write(
            ngettext(
                "%(label)s (%(start)s–%(end)s): %(units)d unit.",
                "%(label)s (%(start)s–%(end)s): %(units)d units.",
                len(unit_ids),
            )
            % {
                "label": period.label,
                "start": f"{period.start:%d/%m/%Y}",
                "end": f"{period.end:%d/%m/%Y}",
                "units": len(unit_ids),
            }
        )
        started = time.monotonic()
        counts = dict.fromkeys(Outcome.ALL, 0)
        for i in range(0, len(unit_ids), CHUNK_SIZE):
            for outcome, n in summaries_build(period=period, unit_ids=unit_ids[i : i + CHUNK_SIZE]).items():
                counts[outcome] += n
            if options["verbosity"] >= 2:
                self.stderr.write(f"{min(i + CHUNK_SIZE, len(unit_ids))}/{len(unit_ids)}")
        total = sum(counts.values())
        self.stdout.write(
            ngettext("%(total)d summary", "%(total)d summaries", total) % {"total": total}
            + _(
                " in %(s).1f s: %(created)d new, %(refreshed)d refreshed, %(unchanged)d unchanged, "
                "%(new_version)d new versions of approved summaries (to approve again)."
            )
            % {"s": time.monotonic() - started, **counts}
        )
