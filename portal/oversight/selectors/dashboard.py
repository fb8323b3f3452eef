"""What the dashboards show of oversight: recommendations awaiting an answer, on both sides."""

from datetime import date, timedelta

from django.db.models import Q, QuerySet

from portal.accounts.models import scope_q
from portal.units.models import scope_unit_of

from ..models import Recommendation


def recommendations_awaiting(user, today: date, days: int = 7) -> QuerySet[Recommendation]:
    """Open recommendations the user's own unit must answer (whatever their deadline), and those raised by or
    addressed to the user's subtree that are overdue or due within `days`.

    One query (units joined), most urgent first. Units they only passed through on the way up are
    left out: the list is for those who must answer and those who wait.
    """
    unit = scope_unit_of(user)
    raised, addressed = scope_q(user, "raised_path"), scope_q(user, "addressed_path")
    if unit is None or raised is None:
        return Recommendation.objects.none()
    due_soon = (raised | addressed) & Q(due_on__lte=today + timedelta(days=days))
    return (
        Recommendation.objects.visible_to(user)
        .open()
        .filter(due_soon | Q(addressed_to=unit))
        .select_related("raised_by_unit", "addressed_to")
        .order_by("due_on", "id")
    )
