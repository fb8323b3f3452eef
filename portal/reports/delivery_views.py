"""The "Báo cáo" page: report subscriptions and their deliveries; the signed unsubscribe link (no log-in)."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin, UserPassesTestMixin
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from cases.forms import UnitCodeField, add_service_error, style_form
from portal.accounts.permissions import has_capability
from portal.accounts.roles import C

from .models import ReportDelivery, ReportSubscription
from .subscriptions import (
    can_subscribe_others,
    delivery_list,
    recipient_choices,
    recipient_get,
    subscription_create,
    subscription_deactivate,
    subscription_from_token,
    subscription_get,
    subscription_list,
    subscription_unsubscribe,
    subscription_update,
    unit_for_recipient,
)

PAGE_SIZE = 50


class SubscriptionForm(forms.Form):
    """A new subscription: the recipient (leaders and admins choose), a unit code, period kind, formats, language."""

    user = forms.ModelChoiceField(label=gettext_lazy("Recipient"), queryset=None, required=False)
    unit = UnitCodeField(
        label=gettext_lazy("Unit code"),
        required=False,
        help_text=gettext_lazy("A unit in the recipient's scope; empty: the recipient's own unit."),
    )
    period_kind = forms.ChoiceField(label=gettext_lazy("Report period"))
    formats = forms.ChoiceField(
        label=gettext_lazy("Formats"), choices=ReportSubscription.Formats.choices, initial="both"
    )
    language = forms.ChoiceField(label=gettext_lazy("Language"), choices=settings.LANGUAGES, initial="vi")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.actor = user
        self.fields["period_kind"].choices = ReportSubscription._meta.get_field("period_kind").choices
        if can_subscribe_others(user):
            self.fields["user"].queryset = recipient_choices(user=user).select_related("unit")
            self.fields["user"].empty_label = _("Myself")
            self.fields["user"].label_from_instance = lambda u: f"{u.get_full_name()} ({u.username}) · {u.unit}"
        else:
            del self.fields["user"]
        self.fields["unit"].widget.attrs.update(
            {
                "placeholder": _("e.g. 19"),
                "list": "unit-options",
                "data-unit-lookup": reverse("api:unit-list"),
                "data-legacy-label": _("legacy"),
            }
        )

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        recipient = recipient_get(actor=self.actor, user_id=data["user"].pk if data.get("user") else None)
        return {
            "user": recipient,
            "unit": unit_for_recipient(recipient=recipient, code=data.get("unit")),
            "period_kind": data["period_kind"],
            "formats": data["formats"],
            "language": data["language"],
        }


class SubscriptionEditForm(forms.Form):
    formats = forms.ChoiceField(label=gettext_lazy("Formats"), choices=ReportSubscription.Formats.choices)
    language = forms.ChoiceField(label=gettext_lazy("Language"), choices=settings.LANGUAGES)
    active = forms.BooleanField(label=gettext_lazy("Active"), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput)


class ReportsPageMixin(LoginRequiredMixin, UserPassesTestMixin):
    """Logged in (else the log-in page) and a unit (every role reads reports of its scope)."""

    def test_func(self) -> bool:
        return has_capability(self.request.user, C.VIEW_DASHBOARD)


class SubscriptionListView(ReportsPageMixin, View):
    template_name = "reports/subscriptions.html"

    def context(self, form) -> dict:
        user = self.request.user
        deliveries = delivery_list(user=user)
        status = self.request.GET.get("status", "")
        if status in ReportDelivery.Status.values:
            deliveries = deliveries.filter(status=status)
        return {
            "form": style_form(form),
            "subscriptions": subscription_list(user=user),
            "deliveries": Paginator(deliveries, PAGE_SIZE).get_page(self.request.GET.get("page")),
            "status": status,
            "statuses": ReportDelivery.Status.choices,
            "can_subscribe_others": can_subscribe_others(user),
        }

    def get(self, request):
        return render(request, self.template_name, self.context(SubscriptionForm(user=request.user)))

    def post(self, request):
        form = SubscriptionForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                subscription = subscription_create(actor=request.user, **form.service_arguments())
            except ValidationError as error:
                add_service_error(form, error)
            else:
                messages.success(
                    request,
                    _("%(user)s will receive the %(kind)s report of %(unit)s by e-mail after each period closes.")
                    % {
                        "user": subscription.user,
                        "kind": subscription.get_period_kind_display().lower(),
                        "unit": subscription.unit,
                    },
                )
                return redirect("reports:subscriptions")
        return render(request, self.template_name, self.context(form), status=400)


class SubscriptionEditView(ReportsPageMixin, View):
    template_name = "reports/subscriptions_edit.html"

    def get(self, request, pk: int):
        subscription = subscription_get(user=request.user, subscription_id=pk)
        form = SubscriptionEditForm(
            initial={
                "formats": subscription.formats,
                "language": subscription.language,
                "active": subscription.active,
                "version": subscription.version,
            }
        )
        return render(request, self.template_name, {"form": style_form(form), "subscription": subscription})

    def post(self, request, pk: int):
        subscription = subscription_get(user=request.user, subscription_id=pk)
        form = SubscriptionEditForm(request.POST)
        if form.is_valid():
            data = dict(form.cleaned_data)
            try:
                subscription_update(actor=request.user, subscription=subscription, **data)
            except ValidationError as error:
                add_service_error(form, error)
            else:
                messages.success(request, _("The subscription was saved."))
                return redirect("reports:subscriptions")
        context = {"form": style_form(form), "subscription": subscription}
        return render(request, self.template_name, context, status=400)


class SubscriptionDeactivateView(ReportsPageMixin, View):
    def post(self, request, pk: int):
        subscription = subscription_get(user=request.user, subscription_id=pk)
        subscription_deactivate(actor=request.user, subscription=subscription)
        messages.success(
            request,
            _("%(user)s will no longer receive the %(kind)s report of %(unit)s.")
            % {
                "user": subscription.user,
                "kind": subscription.get_period_kind_display().lower(),
                "unit": subscription.unit,
            },
        )
        return redirect("reports:subscriptions")


class UnsubscribeView(View):
    """The link in every report mail: no log-in, the signed token names the one subscription it ends."""

    template_name = "reports/subscriptions_unsubscribe.html"

    def get(self, request, token: str):
        subscription = subscription_from_token(token)
        status = 200 if subscription else 404
        return render(request, self.template_name, {"subscription": subscription, "done": False}, status=status)

    def post(self, request, token: str):
        subscription = subscription_unsubscribe(token=token)
        status = 200 if subscription else 404
        return render(request, self.template_name, {"subscription": subscription, "done": True}, status=status)


urlpatterns = [
    path("subscriptions/", SubscriptionListView.as_view(), name="subscriptions"),
    path("subscriptions/<int:pk>/edit/", SubscriptionEditView.as_view(), name="subscription-edit"),
    path("subscriptions/<int:pk>/deactivate/", SubscriptionDeactivateView.as_view(), name="subscription-deactivate"),
    path("unsubscribe/<str:token>/", UnsubscribeView.as_view(), name="unsubscribe"),
]
