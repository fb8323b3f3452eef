"""Mail about recommendations (arrived, answered) and the weekly oversight digest, each sent once per recipient.

Every mail is first recorded as a Notification row (unique per event key and recipient); only rows not yet
sent are sent, and a row is marked after its message went out. A re-run, a retried task or a second beat
therefore sends nothing twice, and a failed send leaves the row unsent for the retry.
"""

from collections import defaultdict
from datetime import date, timedelta

from django.conf import settings
from django.core import mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from portal.accounts.models import User

from .models import Directive, Notification, Recommendation

LEADER = User.Role.LEADER
STANDING = User.Role.STANDING_OFFICER


def unit_recipients(unit_ids) -> dict[int, list[User]]:
    """Per unit: its active leaders with an e-mail; a unit without one gets its standing officers instead."""
    users = (
        User.objects.filter(unit_id__in=list(unit_ids), role__in=[LEADER, STANDING], is_active=True)
        .exclude(email="")
        .order_by("unit_id", "pk")
    )
    by_unit: dict[int, dict[str, list[User]]] = defaultdict(lambda: {LEADER: [], STANDING: []})
    for user in users:
        by_unit[user.unit_id][user.role].append(user)
    return {unit_id: roles[LEADER] or roles[STANDING] for unit_id, roles in by_unit.items()}


def _language(user: User) -> str:
    return getattr(user, "language", "") or settings.LANGUAGE_CODE


def _base_url() -> str:
    return settings.PORTAL_BASE_URL.rstrip("/")


def _send_once(*, key: str, recipient: User, render) -> bool:
    """Record the mail, then send it unless it went out already; `render()` gives (subject, text, html)."""
    Notification.objects.get_or_create(key=key, recipient=recipient)
    # The row lock makes two runs at once safe; a failed send rolls back sent_at so the retry sends.
    with transaction.atomic():
        row = Notification.objects.select_for_update().get(key=key, recipient=recipient)
        if row.sent_at is not None:
            return False
        with translation.override(_language(recipient)):
            subject, text, html = render()
        message = mail.EmailMultiAlternatives(subject, text, to=[recipient.email])
        message.attach_alternative(html, "text/html")
        message.send()
        row.sent_at = timezone.now()
        row.save(update_fields=["sent_at"])
    return True


def _recommendation_url(recommendation: Recommendation) -> str:
    return _base_url() + reverse("oversight:recommendation-detail", kwargs={"pk": recommendation.pk})


def recommendation_notify(event: str, recommendation_id: int, unit_id: int | None = None) -> int:
    """Mail one event of a recommendation: "arrived" at `unit_id`, or "answered" (or declined) to the raiser.

    Returns how many mails went out now (0 when they all went out before).
    """
    recommendation = Recommendation.objects.select_related("raised_by_unit", "addressed_to", "answered_by").get(
        pk=recommendation_id
    )
    if event == "arrived":
        key, unit, template = f"rec-{recommendation.pk}-to-{unit_id}", unit_id, "oversight_recommendation_arrived"
    elif event == "answered":
        key, unit, template = (
            f"rec-{recommendation.pk}-answered",
            recommendation.raised_by_unit_id,
            ("oversight_recommendation_answered"),
        )
    else:
        raise ValueError(event)
    sent = 0
    for recipient in unit_recipients([unit]).get(unit, []):

        def render(recipient=recipient):
            context = {
                "recipient": recipient,
                "recommendation": recommendation,
                "url": _recommendation_url(recommendation),
                "base_url": _base_url(),
            }
            if event == "arrived":
                subject = _("Recommendation to answer by %(due)s: %(title)s")
            elif recommendation.status == Recommendation.Status.DECLINED:
                subject = _("Recommendation declined: %(title)s")
            else:
                subject = _("Recommendation answered: %(title)s")
            subject = subject % {"title": recommendation.title, "due": f"{recommendation.due_on:%d/%m/%Y}"}
            return (
                subject,
                render_to_string(f"emails/{template}.txt", context),
                render_to_string(f"emails/{template}.html", context),
            )

        sent += _send_once(key=key, recipient=recipient, render=render)
    return sent


def recommendation_notify_missed(*, now=None, within: timedelta = timedelta(days=2)) -> int:
    """The safety net for the mails of recommendations changed in the last `within`: sends what never
    went out, because the queue was unreachable when the change was saved (the save itself succeeds:
    `_notify` is robust) or because every retry of the send failed. Each mail is sent once whatever runs
    it (a `Notification` row per event and recipient), so running this often costs only the checks.
    Returns how many mails went out now."""
    since = (now or timezone.now()) - within
    open_statuses = {Recommendation.Status.SUBMITTED, Recommendation.Status.UNDER_REVIEW}
    sent = 0
    recent = Recommendation.objects.filter(updated_at__gte=since).order_by("pk")
    for pk, status, unit_id in recent.values_list("pk", "status", "addressed_to_id"):
        if status in open_statuses:
            sent += recommendation_notify("arrived", pk, unit_id=unit_id)
        else:
            sent += recommendation_notify("answered", pk)
    return sent


# --- The weekly digest -------------------------------------------------------------------------------


def digest_key(today: date) -> str:
    year, week, _day = today.isocalendar()
    return f"digest-{year}-W{week:02d}"


def oversight_digest_send(*, today: date) -> int:
    """One mail per recipient listing the overdue recommendations (addressed to or raised by their unit) and
    overdue directives (their unit responsible); once per ISO week. Returns how many mails went out now."""
    recommendations = list(
        Recommendation.objects.overdue_on(today)
        .select_related("raised_by_unit", "addressed_to")
        .order_by("due_on", "id")
    )
    directives = list(Directive.objects.overdue_on(today).select_related("responsible_unit").order_by("due_on", "id"))
    per_unit: dict[int, dict[str, list]] = defaultdict(lambda: {"to_answer": [], "awaiting": [], "directives": []})
    for rec in recommendations:
        per_unit[rec.addressed_to_id]["to_answer"].append(rec)
        per_unit[rec.raised_by_unit_id]["awaiting"].append(rec)
    for directive in directives:
        per_unit[directive.responsible_unit_id]["directives"].append(directive)
    if not per_unit:
        return 0
    key = digest_key(today)
    sent = 0
    base = _base_url()
    # A user belongs to one unit, so each recipient gets their unit's lists in one mail.
    recipients = [(user, per_unit[unit_id]) for unit_id, users in unit_recipients(per_unit).items() for user in users]
    for user, lists in recipients:
        count = sum(len(v) for v in lists.values())

        def render(user=user, lists=lists, count=count):
            context = {
                "recipient": user,
                "today": today,
                "base_url": base,
                "list_url": base + reverse("api:recommendation-list") + "?overdue=true",
                **lists,
            }
            subject = ngettext(
                "Oversight: %(n)d overdue item needs attention",
                "Oversight: %(n)d overdue items need attention",
                count,
            ) % {"n": count}
            return (
                subject,
                render_to_string("emails/oversight_digest.txt", context),
                render_to_string("emails/oversight_digest.html", context),
            )

        sent += _send_once(key=key, recipient=user, render=render)
    return sent
