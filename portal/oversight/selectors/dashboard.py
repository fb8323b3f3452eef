"""What the dashboard shows of oversight: recommendations awaiting an answer, on both sides."""

from datetime import date, timedelta

from django.db.models import QuerySet

from portal.accounts.models import scope_q

from ..models import Recommendation


def recommendations_awaiting(user, today: date, days: int = 7) -> QuerySet[Recommendation]:
    """Open recommendations raised by or addressed to the user's subtree, overdue or due within `days`.

    One query (units joined), most urgent first. Units they only passed through on the way up are
    left out: the list is for those who must answer and those who wait.
    """
    raised, addressed = scope_q(user, "raised_path"), scope_q(user, "addressed_path")
    if raised is None:
        return Recommendation.objects.none()
    return (
        Recommendation.objects.visible_to(user)
        .open()
        .filter(raised | addressed, due_on__lte=today + timedelta(days=days))
        .select_related("raised_by_unit", "addressed_to")
        .order_by("due_on", "id")
    )
