"""Recommendation pages: the filtered list, raising one, and its file — the chain of steps and, for the addressed
unit's own committee, the forms that take it up, forward it further up, answer or decline it."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin, UserPassesTestMixin
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views import View

from cases.forms import use_portal_dates
from portal.errors import StaleVersionError
from portal.units.models import scope_unit_of

from ..filters.recommendations import RecommendationFilter
from ..forms.recommendations import (
    AnswerForm,
    DeclineForm,
    ForwardForm,
    RaiseForm,
    ReviewForm,
    add_service_error,
    style_form,
)
from ..models import Recommendation
from ..permissions import can_answer_recommendation, can_raise_recommendations, can_view_oversight
from ..selectors.recommendations import (
    can_read_recommendations,
    recommendation_detail,
    recommendation_get,
    recommendation_list,
)
from ..services.recommendations import (
    recommendation_answer,
    recommendation_decline,
    recommendation_forward,
    recommendation_raise,
    recommendation_review,
)

PAGE_SIZE = 50


class RecommendationReadMixin(LoginRequiredMixin, UserPassesTestMixin):
    """Every recommendation page: logged in (else the log-in page), and a role that reads them (else 403)."""

    def test_func(self) -> bool:
        return can_read_recommendations(self.request.user)


def dress_filter_form(form: forms.BaseForm) -> forms.BaseForm:
    """The list filter (shared with the API) dressed for the page: dd/mm/yyyy dates, "All" choices."""
    for field in form.fields.values():
        if isinstance(field, forms.DateField):
            use_portal_dates(field)
    style_form(form)  # validates the form: the date formats above must already be in place
    form.fields["status"].widget.choices = [("", _("All")), *Recommendation.Status.choices]
    form.fields["overdue"].widget = forms.Select(
        choices=[("", _("All")), ("true", _("Overdue only")), ("false", _("Not overdue"))],
        attrs={"class": "form-select"},
    )
    for name in ("raised_by", "addressed_to"):
        form.fields[name].widget.attrs.update({"placeholder": _("e.g. 19"), "autocomplete": "off"})
    form.fields["inspection"].widget = forms.HiddenInput()
    return form


class RecommendationListView(RecommendationReadMixin, View):
    def get(self, request):
        user = request.user
        filterset = RecommendationFilter(request.GET, queryset=recommendation_list(user=user), request=request)
        form = dress_filter_form(filterset.form)
        page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
        unit = scope_unit_of(user)
        context = {
            "filter_form": form,
            "page_obj": page,
            "recommendations": page.object_list,
            "is_filtered": any(v for k, v in request.GET.items() if k != "page"),
            "can_raise": can_raise_recommendations(user),
            "hide_inspections": not can_view_oversight(user),
            "unit": unit,
            "today": timezone.localdate(),
        }
        return render(request, "oversight/recommendation_list.html", context)


class RecommendationCreateView(RecommendationReadMixin, View):
    template_name = "oversight/recommendation_form.html"

    def test_func(self) -> bool:
        return can_raise_recommendations(self.request.user)

    def make_form(self, data=None) -> RaiseForm:
        inspection = self.request.GET.get("inspection", "")
        return RaiseForm(
            data,
            user=self.request.user,
            inspection_id=int(inspection) if inspection.isdigit() else None,
            reply_days=settings.OVERSIGHT_REPLY_DAYS,
        )

    def get(self, request):
        return render(request, self.template_name, {"form": style_form(self.make_form())})

    def post(self, request):
        form = self.make_form(request.POST)
        if form.is_valid():
            try:
                recommendation = recommendation_raise(actor=request.user, **form.service_arguments())
            except ValidationError as error:
                add_service_error(form, error)
            else:
                messages.success(
                    request,
                    _("Recommendation “%(title)s” sent to %(unit)s; the reply is due on %(due)s.")
                    % {
                        "title": recommendation.title,
                        "unit": recommendation.addressed_to,
                        "due": date_format(recommendation.due_on, "d/m/Y"),
                    },
                )
                return redirect("oversight:recommendation-detail", pk=recommendation.pk)
        return render(request, self.template_name, {"form": style_form(form)}, status=400)


# --- The recommendation's file ---------------------------------------------------------------------

ACTIONS = {
    # name: (form class, context name, the status it must be in)
    "review": (ReviewForm, "review_form", {Recommendation.Status.SUBMITTED}),
    "forward": (ForwardForm, "forward_form", {Recommendation.Status.SUBMITTED, Recommendation.Status.UNDER_REVIEW}),
    "answer": (AnswerForm, "answer_form", {Recommendation.Status.SUBMITTED, Recommendation.Status.UNDER_REVIEW}),
    "decline": (DeclineForm, "decline_form", {Recommendation.Status.SUBMITTED, Recommendation.Status.UNDER_REVIEW}),
}


def action_form(name: str, recommendation: Recommendation, data=None) -> forms.Form:
    form_class = ACTIONS[name][0]
    kwargs = {"recommendation": recommendation} if form_class is ForwardForm else {}
    initial = {"version": recommendation.version}
    return form_class(data, initial=initial, auto_id=f"{name}-%s", **kwargs)


def recommendation_page_context(request, recommendation: Recommendation, **bound: forms.Form) -> dict:
    """Everything the file shows; `bound` holds a refused form, shown in its place with its errors and input."""
    user = request.user
    today = timezone.localdate()
    may_act = recommendation.is_open and can_answer_recommendation(user, recommendation.addressed_to)
    context = {
        "recommendation": recommendation,
        "steps": list(recommendation.steps.all()),
        "is_overdue": recommendation.is_overdue_on(today),
        "days_late": (today - recommendation.due_on).days,
        "days_left": (recommendation.due_on - today).days,
        "may_act": may_act,
        "hide_inspections": not can_view_oversight(user),
        "open_action": next((name for name, (_f, key, _s) in ACTIONS.items() if key in bound), ""),
    }
    if may_act:
        for name, (_form, key, statuses) in ACTIONS.items():
            if recommendation.status not in statuses:
                continue
            form = bound.get(key) or action_form(name, recommendation)
            if name == "forward" and not form.fields["to_unit"].choices:
                continue  # the national root has nobody above it
            context[key] = style_form(form)
    elif recommendation.is_open:
        context["waiting_on"] = recommendation.addressed_to
    for key, form in bound.items():
        if key not in context:  # the form is gone (someone else closed it meanwhile): say why above the page
            context["refusal"] = [*form.non_field_errors(), *(e for n, es in form.errors.items() for e in es if n)]
    return context


class RecommendationDetailView(RecommendationReadMixin, View):
    def get(self, request, pk: int):
        recommendation = recommendation_detail(user=request.user, recommendation_id=pk)
        context = recommendation_page_context(request, recommendation)
        return render(request, "oversight/recommendation_detail.html", context)


class RecommendationActionView(RecommendationReadMixin, View):
    """One action of the addressee, posted: success goes back to the file with a message; a refusal shows the
    file again with the message beside that form and the input kept. Out of scope: 404; another unit's: 403."""

    http_method_names = ["post"]
    action: str

    def perform(self, recommendation: Recommendation, data: dict) -> str:
        raise NotImplementedError

    def post(self, request, pk: int):
        recommendation = recommendation_get(user=request.user, recommendation_id=pk)  # out of scope: 404
        if not can_answer_recommendation(request.user, recommendation.addressed_to):
            self.raise_exception = True  # logged in, so a 403 page rather than the log-in page
            return self.handle_no_permission()
        form = action_form(self.action, recommendation, request.POST)
        status = 400
        if form.is_valid():
            try:
                message = self.perform(recommendation, form.cleaned_data)
            except StaleVersionError as error:
                # Keep the input; the page shows the recommendation as it is now, and acting again is the user's call.
                fresh = request.POST.copy()
                fresh["version"] = str(recommendation_get(user=request.user, recommendation_id=pk).version)
                form = action_form(self.action, recommendation, fresh)
                form.is_valid()
                form.add_error(None, error.messages)
                status = 409
            except ValidationError as error:
                add_service_error(form, error)
            else:
                messages.success(request, message)
                return redirect("oversight:recommendation-detail", pk=pk)
        recommendation = recommendation_detail(user=request.user, recommendation_id=pk)
        context = recommendation_page_context(request, recommendation, **{ACTIONS[self.action][1]: form})
        return render(request, "oversight/recommendation_detail.html", context, status=status)


class RecommendationReviewView(RecommendationActionView):
    action = "review"

    def perform(self, recommendation, data):
        recommendation_review(
            actor=self.request.user, recommendation=recommendation, version=data["version"], note=data["note"]
        )
        return _("The recommendation is now under review.")


class RecommendationForwardView(RecommendationActionView):
    action = "forward"

    def perform(self, recommendation, data):
        recommendation = recommendation_forward(
            actor=self.request.user,
            recommendation=recommendation,
            version=data["version"],
            to_unit=data["to_unit"],
            note=data["note"],
            due_on=data["due_on"],
        )
        return _("Forwarded to %(unit)s; its committee is told by mail.") % {"unit": recommendation.addressed_to}


class RecommendationAnswerView(RecommendationActionView):
    action = "answer"

    def perform(self, recommendation, data):
        recommendation = recommendation_answer(
            actor=self.request.user,
            recommendation=recommendation,
            version=data["version"],
            answer=data["answer"],
            on=data["on"],
        )
        return _("Answer sent; %(unit)s is told by mail.") % {"unit": recommendation.raised_by_unit}


class RecommendationDeclineView(RecommendationActionView):
    action = "decline"

    def perform(self, recommendation, data):
        recommendation = recommendation_decline(
            actor=self.request.user,
            recommendation=recommendation,
            version=data["version"],
            reason=data["reason"],
            on=data["on"],
        )
        return _("Recommendation declined; %(unit)s is told by mail.") % {"unit": recommendation.raised_by_unit}


urlpatterns = [
    path("recommendations/", RecommendationListView.as_view(), name="recommendation-list"),
    path("recommendations/new/", RecommendationCreateView.as_view(), name="recommendation-create"),
    path("recommendations/<int:pk>/", RecommendationDetailView.as_view(), name="recommendation-detail"),
    path("recommendations/<int:pk>/review/", RecommendationReviewView.as_view(), name="recommendation-review"),
    path("recommendations/<int:pk>/forward/", RecommendationForwardView.as_view(), name="recommendation-forward"),
    path("recommendations/<int:pk>/answer/", RecommendationAnswerView.as_view(), name="recommendation-answer"),
    path("recommendations/<int:pk>/decline/", RecommendationDeclineView.as_view(), name="recommendation-decline"),
]
