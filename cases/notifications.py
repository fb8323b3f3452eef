"""The daily deadline digest: one mail per officer listing their overdue and due-soon cases."""

from datetime import date

from django.conf import settings
from django.core import mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import ngettext

from portal.accounts.models import User

from .models import DUE_SOON_DAYS, Case, DeadlineDigest, DeadlineStatus
from .selectors import cases_needing_attention


def officers_to_remind(*, today: date) -> list[int]:
    """Ids of active officers with an e-mail and at least one open case due within 7 days or overdue."""
    soon = today + timezone.timedelta(days=DUE_SOON_DAYS)
    return list(
        User.objects.filter(
            is_active=True,
            assigned_cases__status__in=Case.OPEN,
            assigned_cases__due_on__lte=soon,
        )
        .exclude(email="")
        .values_list("pk", flat=True)
        .distinct()
        .order_by("pk")
    )


def deadline_digest_send(*, officer_id: int, today: date) -> bool:
    """Send the officer's digest for `today` once; False when already sent or nothing to say."""
    officer = User.objects.select_related("unit").get(pk=officer_id)
    cases = list(cases_needing_attention(officer=officer, today=today))
    if not cases or not officer.email:
        return False
    overdue = [c for c in cases if c.deadline_status == DeadlineStatus.OVERDUE]
    due_soon = [c for c in cases if c.deadline_status == DeadlineStatus.DUE_SOON]
    base = settings.PORTAL_BASE_URL.rstrip("/")
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "officer": officer,
            "today": today,
            "overdue": overdue,
            "due_soon": due_soon,
            "base_url": base,
            "list_url": base + reverse("cases:list"),
        }
        subject = ngettext(
            "Deadline reminder: %(n)d case needs attention",
            "Deadline reminder: %(n)d cases need attention",
            len(cases),
        ) % {"n": len(cases)}
        text = render_to_string("emails/deadline_digest.txt", context)
        html = render_to_string("emails/deadline_digest.html", context)
    # The row lock makes the task safe to run twice, even at once; a failed send rolls the row back.
    with transaction.atomic():
        digest, _created = DeadlineDigest.objects.get_or_create(officer=officer, on=today)
        digest = DeadlineDigest.objects.select_for_update().get(pk=digest.pk)
        if digest.sent_at is not None:
            return False
        message = mail.EmailMultiAlternatives(subject, text, to=[officer.email])
        message.attach_alternative(html, "text/html")
        message.send()
        digest.sent_at = timezone.now()
        digest.case_count = len(cases)
        digest.save(update_fields=["sent_at", "case_count"])
    return True
