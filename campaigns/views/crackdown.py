"""Pages of crackdown campaigns: the list, the campaign page (planned against achieved, before and after,
reported results), planning and editing forms, and recording or withdrawing a unit's result."""

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin, UserPassesTestMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.views import View

from cases.forms import add_service_error, filter_form_for_page, style_form, use_portal_dates
from cases.models import CrimeLine
from cases.permissions import can_view_cases
from portal.accounts.models import User

from ..filters import CampaignFilter
from ..forms.crackdown import CampaignForm, ResultForm
from ..models import REPORTED_RESULTS, Campaign, ResultKind
from ..permissions import can_edit_campaigns, can_view_campaigns
from ..selectors import campaign_detail, campaign_get, campaign_list, campaign_result_list, campaign_results
from ..selectors.crackdown import change_pct
from ..services import (
    StaleVersionError,
    campaign_create,
    campaign_result_delete,
    campaign_result_record,
    campaign_update,
)

PAGE_SIZE = 50


class CampaignPageMixin(LoginRequiredMixin, UserPassesTestMixin):
    """Every campaign page: logged in, and a role that reads campaigns (else 403)."""

    def test_func(self) -> bool:
        return can_view_campaigns(self.request.user)


def require_edit(user: User) -> None:
    if not can_edit_campaigns(user):
        raise PermissionDenied(_("Your role does not allow changing crackdown campaigns."))


def num(value) -> str:
    """A count or quantity as the page shows it: grouped, decimals only when there are any (150,5 g)."""
    if value is None:
        return "—"
    value = Decimal(str(value))
    places = 0 if value == value.to_integral() else min(2, -value.normalize().as_tuple().exponent)
    return number_format(value, places, force_grouping=True)


def pct(value: float | None, signed: bool = False) -> str:
    if value is None:
        return "—"
    text = number_format(round(value, 1), 1, force_grouping=True) + "%"
    return f"+{text}" if signed and value > 0 else text


# --- Pages -------------------------------------------------------------------------------------


class CampaignListView(CampaignPageMixin, View):
    def get(self, request):
        filterset = CampaignFilter(request.GET, queryset=campaign_list(user=request.user), request=request)
        for name in ("active_from", "active_until"):
            use_portal_dates(filterset.form.fields[name])
        page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
        today = timezone.localdate()
        rows = [
            {"campaign": c, "phase": c.phase_on(today), "phase_label": Campaign.Phase(c.phase_on(today)).label}
            for c in page.object_list
        ]
        return render(
            request,
            "campaigns/campaign_list.html",
            {
                "filter_form": filter_form_for_page(filterset.form),
                "page_obj": page,
                "rows": rows,
                "is_filtered": any(v for k, v in request.GET.items() if k != "page"),
                "can_edit": can_edit_campaigns(request.user),
            },
        )


def tone(change: float | None, kind: str) -> str:
    """Green where the campaign did better: fewer crimes recorded, more cleared, more arrested."""
    if not change:
        return "secondary"
    better = change < 0 if kind == ResultKind.CASES_RECORDED else change > 0
    return "success" if better else "danger"


def achievement_rows(results) -> list[dict]:
    return [
        {
            **row,
            "planned_text": num(row["planned"]),
            "achieved_text": num(row["achieved"]),
            "percent_text": pct(row["percent"]),
            "bar": min(100, round(row["percent"] or 0)),
        }
        for row in results.achievements
    ]


def comparison_rows(results) -> list[dict]:
    rows = []
    if not results.windows:
        return rows
    for kind in (ResultKind.CASES_RECORDED, ResultKind.CASES_CLEARED, ResultKind.SUSPECTS_ARRESTED):
        during, before, earlier = (results.figures[w][kind] for w in ("during", "before", "year_earlier"))
        vs_before, vs_earlier = change_pct(during, before), change_pct(during, earlier)
        rows.append(
            {
                "kind": kind.value,
                "label": kind.label,
                "during": num(during),
                "before": num(before),
                "vs_before": pct(vs_before, signed=True),
                "vs_before_tone": tone(vs_before, kind),
                "year_earlier": num(earlier),
                "vs_year_earlier": pct(vs_earlier, signed=True),
                "vs_year_earlier_tone": tone(vs_earlier, kind),
            }
        )
    return rows


class CampaignDetailView(CampaignPageMixin, View):
    def get(self, request, pk: int, result_form: ResultForm | None = None):
        campaign = campaign_detail(user=request.user, campaign_id=pk)
        today = timezone.localdate()
        results = campaign_results(user=request.user, campaign=campaign, today=today)
        can_edit = can_edit_campaigns(request.user)
        reported_kinds = list(REPORTED_RESULTS)
        by_unit = [
            {"unit": row["unit"], "values": [num(row.get(k.value, 0)) for k in reported_kinds]}
            for row in results.by_unit
        ]
        return render(
            request,
            "campaigns/campaign_detail.html",
            {
                "campaign": campaign,
                "phase": campaign.phase_on(today),
                "phase_label": Campaign.Phase(campaign.phase_on(today)).label,
                "focus_line_labels": [CrimeLine(line).label for line in campaign.focus_lines],
                "results": results,
                "comparison": comparison_rows(results),
                "achievements": achievement_rows(results),
                "reported_kinds": reported_kinds,
                "reported_totals": [num(results.reported.get(k.value, 0)) for k in reported_kinds],
                "linked_cases": num(results.linked_cases),
                "by_unit": by_unit,
                "entries": [
                    (e, num(e.quantity)) for e in campaign_result_list(user=request.user, campaign=campaign)[:200]
                ],
                "can_edit": can_edit,
                "can_see_cases": can_view_cases(request.user),
                "result_form": (result_form or ResultForm(user=request.user, campaign=campaign, today=today))
                if can_edit
                else None,
            },
            status=400 if result_form is not None and result_form.errors else 200,
        )


class CampaignFormView(CampaignPageMixin, View):
    """Plan a campaign (no pk) or change its plan (pk), with the version read for optimistic locking."""

    def render_form(self, form: CampaignForm, campaign: Campaign | None, status: int = 200):
        return render(
            request=self.request,
            template_name="campaigns/campaign_form.html",
            context={"form": form, "campaign": campaign},
            status=status,
        )

    def get(self, request, pk: int | None = None):
        require_edit(request.user)
        campaign = campaign_detail(user=request.user, campaign_id=pk) if pk else None
        return self.render_form(CampaignForm(user=request.user, campaign=campaign), campaign)

    def post(self, request, pk: int | None = None):
        require_edit(request.user)
        campaign = campaign_detail(user=request.user, campaign_id=pk) if pk else None
        form = CampaignForm(request.POST, user=request.user, campaign=campaign)
        if not form.is_valid():
            return self.render_form(form, campaign, status=400)
        try:
            if campaign is None:
                campaign = campaign_create(actor=request.user, **form.service_arguments())
                messages.success(request, _("The campaign was planned."))
            else:
                campaign_update(
                    campaign=campaign,
                    actor=request.user,
                    version=form.cleaned_data["version"],
                    **form.service_arguments(),
                )
                messages.success(request, _("The campaign was saved."))
        except StaleVersionError as error:
            form.add_error(None, error.messages)
            return self.render_form(form, campaign, status=409)
        except ValidationError as error:
            add_service_error(form, error)
            style_form(form)
            return self.render_form(form, campaign, status=400)
        return redirect("campaigns:campaign-detail", pk=campaign.pk)


class CampaignResultView(CampaignPageMixin, View):
    def post(self, request, pk: int):
        require_edit(request.user)
        campaign = campaign_get(user=request.user, campaign_id=pk)
        form = ResultForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                campaign_result_record(campaign=campaign, actor=request.user, **form.cleaned_data)
            except ValidationError as error:
                add_service_error(form, error)
                style_form(form)
            else:
                messages.success(request, _("The result was recorded."))
                return redirect(reverse("campaigns:campaign-detail", kwargs={"pk": pk}) + "#results")
        page = CampaignDetailView()
        page.setup(request, pk=pk)
        return page.get(request, pk=pk, result_form=form)


class CampaignResultDeleteView(CampaignPageMixin, View):
    def post(self, request, pk: int, result_pk: int):
        require_edit(request.user)
        campaign = campaign_get(user=request.user, campaign_id=pk)
        entry = get_object_or_404(campaign_result_list(user=request.user, campaign=campaign), pk=result_pk)
        try:
            campaign_result_delete(result=entry, actor=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The result was withdrawn."))
        return redirect(reverse("campaigns:campaign-detail", kwargs={"pk": pk}) + "#results")


urlpatterns = [
    path("campaigns/", CampaignListView.as_view(), name="campaign-list"),
    path("campaigns/new/", CampaignFormView.as_view(), name="campaign-create"),
    path("campaigns/<int:pk>/", CampaignDetailView.as_view(), name="campaign-detail"),
    path("campaigns/<int:pk>/edit/", CampaignFormView.as_view(), name="campaign-edit"),
    path("campaigns/<int:pk>/results/", CampaignResultView.as_view(), name="campaign-result"),
    path(
        "campaigns/<int:pk>/results/<int:result_pk>/delete/",
        CampaignResultDeleteView.as_view(),
        name="campaign-result-delete",
    ),
]
