"""Mail about recommendations (arrived, answered) and the weekly oversight digest, each sent once per recipient.

Every mail is first recorded as a Notification row (unique per event key and recipient); only rows not yet
sent are sent, and a row is marked after its message went out. A re-run, a retried task or a second beat
therefore sends nothing twice, and a failed send leaves the row unsent for the retry. A recommendation's
event and the weekly digest also leave an in-app notice under the same key (portal.notifications), and are mailed
only to those who did not choose "in the portal only".
"""

from collections import defaultdict
from datetime import date, timedelta

from django.conf import settings
from django.contrib.humanize.templatetags.humanize import intcomma
from django.core import mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from portal.accounts.models import User
from portal.notifications.models import Kind
from portal.notifications.services import notice_create, recipient_language, wants_mail

from .models import Directive, Notification, Recommendation

LEADER = User.Role.LEADER
STANDING = User.Role.STANDING_OFFICER


def unit_recipients(unit_ids, *, with_email: bool = True) -> dict[int, list[User]]:
    """Per unit: its active leaders (with an e-mail, unless `with_email` is off); a unit without one gets its
    standing officers instead. In-app notices go to leaders without an address too."""
    users = User.objects.filter(unit_id__in=list(unit_ids), role__in=[LEADER, STANDING], is_active=True).order_by(
        "unit_id", "pk"
    )
    if with_email:
        users = users.exclude(email="")
    by_unit: dict[int, dict[str, list[User]]] = defaultdict(lambda: {LEADER: [], STANDING: []})
    for user in users:
        by_unit[user.unit_id][user.role].append(user)
    return {unit_id: roles[LEADER] or roles[STANDING] for unit_id, roles in by_unit.items()}


def _language(user: User) -> str:
    return recipient_language(user)


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
    """Tell of one event of a recommendation: "arrived" at `unit_id`, or "answered" (or declined) to the raiser:
    an in-app notice and a mail to each recipient, as each chose (portal.notifications), each once per key.

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
    _notice(event, key, recommendation, unit_recipients([unit], with_email=False).get(unit, []))
    sent = 0
    for recipient in unit_recipients([unit]).get(unit, []):
        if not wants_mail(recipient, _kind(event)):
            continue

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


def _kind(event: str) -> str:
    return Kind.RECOMMENDATION_RECEIVED if event == "arrived" else Kind.RECOMMENDATION_ANSWERED


def _notice(event: str, key: str, recommendation: Recommendation, recipients: list[User]) -> None:
    """The in-app side of a recommendation's event: one notice per recipient and key, as they chose."""
    url = reverse("oversight:recommendation-detail", kwargs={"pk": recommendation.pk})
    for recipient in recipients:
        with translation.override(recipient_language(recipient)):
            if event == "arrived":
                title = _("Recommendation to answer: %(title)s") % {"title": recommendation.title}
                body = _("From %(unit)s; answer by %(due)s.") % {
                    "unit": recommendation.raised_by_unit.name,
                    "due": f"{recommendation.due_on:%d/%m/%Y}",
                }
            else:
                if recommendation.status == Recommendation.Status.DECLINED:
                    title = _("Recommendation declined: %(title)s") % {"title": recommendation.title}
                else:
                    title = _("Recommendation answered: %(title)s") % {"title": recommendation.title}
                body = _("By %(unit)s.") % {"unit": recommendation.addressed_to.name}
        notice_create(recipient=recipient, kind=_kind(event), title=title, body=body, url=url, key=key)


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
    """Once per ISO week, each recipient hears of their unit's overdue recommendations (addressed to or raised by
    it) and overdue directives (it is responsible): an in-app notice and a mail, as they chose. Returns how many
    mails went out now."""
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
    page = reverse("oversight:recommendation-list") + "?overdue=true"  # the page, not the API: people follow it
    for unit_id, users in unit_recipients(per_unit, with_email=False).items():
        for user in users:
            _digest_notice(user, key, per_unit[unit_id], url=page)
    sent = 0
    base = _base_url()
    # A user belongs to one unit, so each recipient gets their unit's lists in one mail.
    recipients = [(user, per_unit[unit_id]) for unit_id, users in unit_recipients(per_unit).items() for user in users]
    for user, lists in recipients:
        if not wants_mail(user, Kind.OVERSIGHT_DIGEST):
            continue
        count = sum(len(v) for v in lists.values())

        def render(user=user, lists=lists, count=count):
            context = {"recipient": user, "today": today, "base_url": base, "list_url": base + page, **lists}
            return (
                _digest_title(count),
                render_to_string("emails/oversight_digest.txt", context),
                render_to_string("emails/oversight_digest.html", context),
            )

        sent += _send_once(key=key, recipient=user, render=render)
    return sent


def _digest_title(count: int) -> str:
    return ngettext(
        "Oversight: %(n)s overdue item needs attention",
        "Oversight: %(n)s overdue items need attention",
        count,
    ) % {"n": intcomma(count)}


def _digest_notice(user: User, key: str, lists: dict[str, list], *, url: str) -> None:
    """The in-app side of the weekly digest: the counts of each list, once per user and week."""
    with translation.override(recipient_language(user)):
        parts = [
            (len(lists["to_answer"]), _("recommendations to answer: %(n)s")),
            (len(lists["awaiting"]), _("recommendations of your unit awaiting an answer: %(n)s")),
            (len(lists["directives"]), _("directives to carry out: %(n)s")),
        ]
        body = "; ".join(text % {"n": intcomma(n)} for n, text in parts if n)
        title = _digest_title(sum(len(v) for v in lists.values()))
    notice_create(recipient=user, kind=Kind.OVERSIGHT_DIGEST, title=title, body=body, url=url, key=key)
