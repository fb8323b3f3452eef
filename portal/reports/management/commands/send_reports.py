"""`manage.py send_reports [--period SPEC] [--dry-run] [--retry-failed]`: run the report dispatcher by hand."""

import logging
from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import ngettext

from portal.reports.delivery import deliver, deliveries_reset_failed, dispatch
from portal.reports.models import ReportDelivery
from portal.reports.periods import PeriodError, parse_period

log = logging.getLogger(__name__)


class Command(BaseCommand):
    help = (
        "Create the missing report deliveries (the last closed period of each active subscription, or --period) "
        "and send them now, in this process (no Celery worker needed); --retry-failed first sends again the "
        "deliveries that failed. Exits with status 1 when a delivery failed."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--period", help="a closed period: 2021, 2021-Q3, 2021-H1, 2021-9M, 2021-09")
        parser.add_argument("--dry-run", action="store_true", help="only list the deliveries it would create")
        parser.add_argument(
            "--retry-failed", action="store_true", help="send again the failed (and stalled pending) deliveries"
        )
        parser.add_argument("--today", help="the date to act on, YYYY-MM-DD (default: today)")

    def handle(self, *args, **options) -> None:
        try:
            today = date.fromisoformat(options["today"]) if options["today"] else timezone.localdate()
            period = parse_period(options["period"]) if options["period"] else None
            with transaction.atomic():
                created = dispatch(today=today, period=period, dry_run=options["dry_run"], enqueue=False)
        except (PeriodError, ValueError) as exc:
            raise CommandError(str(exc)) from exc
        if options["dry_run"]:
            line = ngettext(
                "Would create %(n)d report delivery.", "Would create %(n)d report deliveries.", len(created)
            )
        else:
            line = ngettext("Created %(n)d report delivery.", "Created %(n)d report deliveries.", len(created))
        self.stdout.write(line % {"n": len(created)})
        for delivery in created:
            self.stdout.write(f"  {self._describe(delivery)}")
        if options["dry_run"]:
            if options["retry_failed"]:
                failed = ReportDelivery.objects.filter(status=ReportDelivery.Status.FAILED).count()
                self.stdout.write(
                    ngettext(
                        "%(n)d failed delivery would be sent again.",
                        "%(n)d failed deliveries would be sent again.",
                        failed,
                    )
                    % {"n": failed}
                )
            return
        ids = [d.pk for d in created]
        if options["retry_failed"]:
            retried = deliveries_reset_failed()
            # Pending rows from earlier runs too: their task may be lost; deliver() sends nothing twice.
            pending = ReportDelivery.objects.filter(status=ReportDelivery.Status.PENDING).exclude(pk__in=ids)
            ids += sorted(set(retried) | set(pending.values_list("pk", flat=True)))
        failed = self._send(ids)
        if failed:
            raise CommandError(
                ngettext("%(n)d report delivery failed.", "%(n)d report deliveries failed.", failed) % {"n": failed},
                returncode=1,
            )

    def _send(self, ids: list[int]) -> int:
        failed = 0
        for pk in ids:
            try:
                deliver(pk, final_attempt=True)
            except Exception as exc:  # recorded on the row by deliver(); reported below
                log.info("Report delivery %s failed: %s", pk, exc)
            delivery = ReportDelivery.objects.select_related("subscription__user", "subscription__unit").get(pk=pk)
            if delivery.status != ReportDelivery.Status.SENT:
                failed += 1
                self.stderr.write(f"  {self._describe(delivery)}: {delivery.get_status_display()} — {delivery.error}")
            else:
                self.stdout.write(f"  {self._describe(delivery)}: {delivery.get_status_display()}")
        return failed

    @staticmethod
    def _describe(delivery: ReportDelivery) -> str:
        s = delivery.subscription
        return (
            f"{delivery.period_spec} · {s.unit.name} · {s.user.username} <{s.user.email}> · {s.get_formats_display()}"
        )
