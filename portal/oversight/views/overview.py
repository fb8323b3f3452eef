"""The oversight overview ("oversight:list"): where directives and recommendations stand for the user's unit,
what is overdue or due soon, and the latest inspections, with the way into each list."""

from django.contrib.auth.mixins import LoginRequiredMixin, UserPassesTestMixin
from django.shortcuts import render
from django.urls import path
from django.utils import timezone
from django.views import View

from ..permissions import can_raise_recommendations, can_view_oversight
from ..selectors import (
    directive_counts,
    directive_list,
    inspection_list,
    recommendation_counts,
    recommendations_awaiting,
)
from ..selectors.recommendations import can_read_recommendations

SHOWN = 10  # rows of each "needs attention" table
RECENT_INSPECTIONS = 5


class OverviewView(LoginRequiredMixin, UserPassesTestMixin, View):
    def test_func(self) -> bool:
        user = self.request.user
        return can_view_oversight(user) or can_read_recommendations(user)

    def get(self, request):
        user, today = request.user, timezone.localdate()
        awaiting = list(recommendations_awaiting(user, today)[: SHOWN + 1])
        context = {
            "today": today,
            "recommendations": recommendation_counts(user=user, today=today),
            "awaiting": awaiting[:SHOWN],
            "awaiting_more": len(awaiting) > SHOWN,
            "can_raise": can_raise_recommendations(user),
            "sees_inspections": can_view_oversight(user),
            "hide_inspections": not can_view_oversight(user),
        }
        if context["sees_inspections"]:
            overdue = list(directive_list(user=user).overdue_on(today)[: SHOWN + 1])
            context.update(
                directives=directive_counts(user=user, today=today),
                overdue_directives=overdue[:SHOWN],
                overdue_directives_more=len(overdue) > SHOWN,
                inspections=list(inspection_list(user=user)[:RECENT_INSPECTIONS]),
            )
        return render(request, "oversight/overview.html", context)


urlpatterns = [
    path("", OverviewView.as_view(), name="list"),
]
