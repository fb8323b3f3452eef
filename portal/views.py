"""Portal-wide pages: the dashboard shell (figures arrive with the statistics module)."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.views.generic import TemplateView

from portal.accounts.roles import capabilities_of
from portal.accounts.selectors import user_scope


class DashboardView(LoginRequiredMixin, TemplateView):
    template_name = "portal/dashboard.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["scope"] = user_scope(user=user)
        context["capabilities"] = sorted(capabilities_of(user.role)) if user.unit_id else []
        return context
