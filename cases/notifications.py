"""The daily deadline digest: per officer, a notice and a mail (as they chose) of their overdue and due-soon cases."""

from datetime import date

from django.conf import settings
from django.contrib.humanize.templatetags.humanize import intcomma
from django.core import mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import ngettext

from portal.accounts.models import User
from portal.notifications.models import Kind
from portal.notifications.services import notice_create, recipient_language, wants_mail

from .models import DUE_SOON_DAYS, Case, DeadlineDigest, DeadlineStatus
from .selectors import cases_needing_attention


def officers_to_remind(*, today: date) -> list[int]:
    """Ids of active officers with at least one open case due within 7 days or overdue (with an e-mail or not:
    the in-app notice needs none)."""
    soon = today + timezone.timedelta(days=DUE_SOON_DAYS)
    return list(
        User.objects.filter(
            is_active=True,
            assigned_cases__status__in=Case.OPEN,
            assigned_cases__due_on__lte=soon,
        )
        .values_list("pk", flat=True)
        .distinct()
        .order_by("pk")
    )


def deadline_notice_key(today: date) -> str:
    return f"deadlines-{today.isoformat()}"


def deadline_notice(*, officer: User, today: date, overdue: list, due_soon: list) -> None:
    """The in-app side of the digest: one notice per officer and day, linking to the case list filtered to their
    own cases (those they are assigned to) in the worst of their deadline states."""
    total = len(overdue) + len(due_soon)
    state = (DeadlineStatus.OVERDUE if overdue else DeadlineStatus.DUE_SOON).value
    with translation.override(recipient_language(officer)):
        title = ngettext(
            "%(n)s case needs attention: %(overdue)s overdue, %(soon)s due soon",
            "%(n)s cases need attention: %(overdue)s overdue, %(soon)s due soon",
            total,
        ) % {"n": intcomma(total), "overdue": intcomma(len(overdue)), "soon": intcomma(len(due_soon))}
        body = ", ".join(f"{c.reference} ({c.due_on:%d/%m/%Y})" for c in [*overdue, *due_soon][:10])
        if total > 10:
            body += " …"
    notice_create(
        recipient=officer,
        kind=Kind.DEADLINES,
        title=title,
        body=body,
        url=f"{reverse('cases:list')}?deadline={state}&assigned=me",
        key=deadline_notice_key(today),
    )


def deadline_digest_send(*, officer_id: int, today: date) -> bool:
    """Tell the officer of their deadlines for `today` once: an in-app notice and a mail, as they chose.

    True when the mail went out now; False when already sent, not wanted, no address or nothing to say.
    """
    officer = User.objects.select_related("unit").get(pk=officer_id)
    cases = list(cases_needing_attention(officer=officer, today=today))
    if not cases:
        return False
    overdue = [c for c in cases if c.deadline_status == DeadlineStatus.OVERDUE]
    due_soon = [c for c in cases if c.deadline_status == DeadlineStatus.DUE_SOON]
    deadline_notice(officer=officer, today=today, overdue=overdue, due_soon=due_soon)
    if not officer.email or not wants_mail(officer, Kind.DEADLINES):
        return False
    base = settings.PORTAL_BASE_URL.rstrip("/")
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "officer": officer,
            "today": today,
            "overdue": overdue,
            "due_soon": due_soon,
            "base_url": base,
            "list_url": base + reverse("cases:list") + "?assigned=me",
        }
        subject = ngettext(
            "Deadline reminder: %(n)s case needs attention",
            "Deadline reminder: %(n)s cases need attention",
            len(cases),
        ) % {"n": intcomma(len(cases))}
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
