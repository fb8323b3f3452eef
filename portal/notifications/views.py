"""Notification pages: the list behind the bell, marking read, following a notice, the channel preferences."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin, UserPassesTestMixin
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View

from portal.accounts.permissions import has_capability
from portal.accounts.roles import C

from .forms import PreferencesForm
from .selectors import notice_get, notice_list, preferences_of
from .services import notice_mark_read, notices_mark_all_read, preferences_save

PAGE_SIZE = 20


class NotificationsPageMixin(LoginRequiredMixin, UserPassesTestMixin):
    """Logged in (else the log-in page) with a unit: every role has notices of its own."""

    def test_func(self) -> bool:
        return has_capability(self.request.user, C.VIEW_DASHBOARD)


def _back(request) -> str:
    """Back to the list page the form was on (its page and filter), never to another site."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return reverse("notifications:list")


class NoticeListView(NotificationsPageMixin, View):
    template_name = "notifications/list.html"

    def get(self, request):
        notices = notice_list(user=request.user)
        unread_only = request.GET.get("unread") == "1"
        if unread_only:
            notices = notices.unread()
        page = Paginator(notices, PAGE_SIZE).get_page(request.GET.get("page"))
        return render(request, self.template_name, {"page_obj": page, "unread_only": unread_only})


class NoticeReadView(NotificationsPageMixin, View):
    def post(self, request, pk: int):
        notice_mark_read(notice=notice_get(user=request.user, notice_id=pk), actor=request.user)
        return redirect(_back(request))


class NoticeReadAllView(NotificationsPageMixin, View):
    def post(self, request):
        marked = notices_mark_all_read(actor=request.user)
        if marked:
            messages.success(request, _("All notifications are marked as read."))
        return redirect(_back(request))


class NoticeOpenView(NotificationsPageMixin, View):
    """A notice's link: marks it read, then goes where it points (the list, when it points nowhere)."""

    def get(self, request, pk: int):
        notice = notice_mark_read(notice=notice_get(user=request.user, notice_id=pk), actor=request.user)
        if notice.url and url_has_allowed_host_and_scheme(notice.url, allowed_hosts=None):
            return redirect(notice.url)
        return redirect("notifications:list")


class PreferencesView(NotificationsPageMixin, View):
    template_name = "notifications/preferences.html"

    def get(self, request):
        return self._render(PreferencesForm(current=preferences_of(user=request.user)))

    def post(self, request):
        form = PreferencesForm(request.POST, current=preferences_of(user=request.user))
        if form.is_valid():
            try:
                preferences_save(user=request.user, channels=form.cleaned_data)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Your notification settings were saved."))
                return redirect("notifications:settings")
        return self._render(form, status=400)

    def _render(self, form, status: int = 200):
        context = {"form": form, "fixed": PreferencesForm.fixed_kinds()}
        return render(self.request, self.template_name, context, status=status)
