"""Demo notices, so the bell of the demo users is not empty after `make run`; idempotent (one key per notice)."""

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from portal.accounts.models import User

from .models import Kind
from .services import notice_create


def seed() -> str:
    """Notices for the Thái Nguyên leader, standing officer and investigator, written as the real events write them."""
    from cases.models import DeadlineStatus
    from cases.notifications import deadline_notice
    from cases.selectors import cases_needing_attention
    from portal.oversight.models import Recommendation

    users = {u.username: u for u in User.objects.filter(username__in=["tn.lanhdao", "tn.thuongtruc", "tn.dieutra"])}
    rows = []
    with translation.override(settings.LANGUAGE_CODE):
        recommendation = Recommendation.objects.order_by("-pk").first()
        if recommendation is not None:
            url = reverse("oversight:recommendation-detail", kwargs={"pk": recommendation.pk})
            title = {"title": recommendation.title}
            rows += [
                ("tn.lanhdao", Kind.RECOMMENDATION_RECEIVED, _("Recommendation to answer: %(title)s") % title, url),
                ("tn.thuongtruc", Kind.RECOMMENDATION_ANSWERED, _("Recommendation answered: %(title)s") % title, url),
            ]
        leader = users.get("tn.lanhdao")
        if leader is not None and leader.unit is not None:
            names = {"period": "9 tháng năm 2021", "unit": leader.unit.name, "email": leader.email}
            title = _("Report %(period)s — %(unit)s was sent to %(email)s") % names
            rows.append(("tn.lanhdao", Kind.REPORT_DELIVERED, title, reverse("reports:subscriptions")))
    created = 0
    for username, kind, title, url in rows:
        if (user := users.get(username)) is not None:
            created += notice_create(recipient=user, kind=kind, title=title, url=url, key=f"demo-{kind}") is not None
    if (officer := users.get("tn.dieutra")) is not None:
        today = timezone.localdate()
        cases = list(cases_needing_attention(officer=officer, today=today))
        if cases:
            overdue = [c for c in cases if c.deadline_status == DeadlineStatus.OVERDUE]
            due_soon = [c for c in cases if c.deadline_status == DeadlineStatus.DUE_SOON]
            deadline_notice(officer=officer, today=today, overdue=overdue, due_soon=due_soon)
    return (
        f"Demo notifications: {created} created for tn.lanhdao and tn.thuongtruc (and today's deadlines of tn.dieutra)."
    )
