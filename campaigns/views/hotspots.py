"""Hotspot pages: the filtered list with its map, the hotspot file (timeline, linked cases, crime trend around
it), the record/edit form and the lifecycle move."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin, UserPassesTestMixin
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views import View

from cases.permissions import can_view_cases
from portal.stale import changed_since

from ..filters import HotspotFilter
from ..forms.practice import HotspotForm, HotspotTransitionForm, add_service_error, filter_form_for_page, style_form
from ..models import Hotspot
from ..permissions import can_edit_hotspots, can_view_hotspots
from ..selectors.hotspots import hotspot_cases, hotspot_detail, hotspot_get, hotspot_list, hotspot_trend
from ..services import HOTSPOT_EDITABLE, StaleVersionError, hotspot_create, hotspot_transition, hotspot_update

PAGE_SIZE = 100
CASES_SHOWN = 20
# Status is told by colour and by a sign, so the map reads without colour vision too (legend, markers, table).
STATUS_SIGNS = {
    Hotspot.Status.IDENTIFIED: "!",
    Hotspot.Status.UNDER_REMEDIATION: "↻",
    Hotspot.Status.RESOLVED: "✓",
}


class HotspotReadMixin(LoginRequiredMixin, UserPassesTestMixin):
    """Every hotspot page: logged in (else the log-in page), and a role that reads hotspots (else 403)."""

    def test_func(self) -> bool:
        return can_view_hotspots(self.request.user)


class HotspotWriteMixin(HotspotReadMixin):
    """Pages that change hotspots: a role without the right is refused (403) before any lookup."""

    def test_func(self) -> bool:
        return can_edit_hotspots(self.request.user)


# --- The list and its map ----------------------------------------------------------------------


def map_point(hotspot: Hotspot) -> dict:
    """What a marker needs, as JSON: plain data only (the script builds the popup with textContent)."""
    return {
        "id": hotspot.pk,
        "name": hotspot.name,
        "lat": float(hotspot.latitude),
        "lng": float(hotspot.longitude),
        "status": hotspot.status,
        "status_label": hotspot.get_status_display(),
        "sign": STATUS_SIGNS[hotspot.status],
        "kind_label": hotspot.get_kind_display(),
        "unit": str(hotspot.unit),
        "url": reverse("campaigns:hotspot-detail", args=[hotspot.pk]),
    }


def map_config() -> dict:
    """The map's settings for static/portal/hotspot-map.js: no tile server configured means no tile request at all."""
    return {
        "tiles": settings.PORTAL_MAP_TILES_URL,
        "attribution": settings.PORTAL_MAP_TILES_ATTRIBUTION,
        "open": _("Open the hotspot file"),
    }


class HotspotListView(HotspotReadMixin, View):
    def get(self, request):
        filterset = HotspotFilter(request.GET, queryset=hotspot_list(user=request.user), request=request)
        form = filter_form_for_page(filterset.form)  # before filtering: dates are read dd/mm/yyyy
        page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
        hotspots = list(page.object_list)
        for hotspot in hotspots:
            hotspot.status_sign = STATUS_SIGNS[hotspot.status]
        points = [map_point(h) for h in hotspots if h.latitude is not None and h.longitude is not None]
        context = {
            "filter_form": form,
            "page_obj": page,
            "hotspots": hotspots,
            "statuses": [{"value": s.value, "label": s.label, "sign": STATUS_SIGNS[s]} for s in Hotspot.Status],
            "map_points": points,
            "map_config": map_config(),
            "off_map": len(hotspots) - len(points),
            "is_filtered": any(v for k, v in request.GET.items() if k != "page"),
            "can_create": can_edit_hotspots(request.user),
        }
        return render(request, "campaigns/hotspot_list.html", context)


# --- The hotspot file --------------------------------------------------------------------------


def trend_summary(trend: list[dict]) -> dict:
    current = sum(row["current"] for row in trend)
    previous = sum(row["previous"] for row in trend)
    change = None if not previous else round((current - previous) * 100 / previous, 1)
    return {"current": current, "previous": previous, "change_pct": change}


def coordinates_text(hotspot: Hotspot) -> str:
    """ "21.5922, 105.8441": decimal degrees as GPS tools read and paste them (a point, whatever the language)."""
    if hotspot.latitude is None or hotspot.longitude is None:
        return ""
    return f"{hotspot.latitude.normalize():f}, {hotspot.longitude.normalize():f}"


def hotspot_page_context(request, hotspot: Hotspot, *, move_form: HotspotTransitionForm | None = None) -> dict:
    """Everything the hotspot file shows; `move_form` is a refused move, shown with its errors and the input kept."""
    user = request.user
    trend = hotspot_trend(user=user, hotspot=hotspot)
    context = {
        "hotspot": hotspot,
        "sign": STATUS_SIGNS[hotspot.status],
        "coordinates": coordinates_text(hotspot),
        "can_edit": can_edit_hotspots(user),
        "trend": trend,
        "trend_total": trend_summary(trend),
        "move_form": move_form,
        "shows_cases": can_view_cases(user),
    }
    if context["can_edit"]:
        moves = []
        for to in hotspot.allowed_moves():
            form = move_form if move_form is not None and move_form.data.get("to") == to else None
            if form is None:
                form = HotspotTransitionForm(initial={"version": hotspot.version, "to": to}, auto_id=f"move-{to}-%s")
            moves.append({"to": to, "label": Hotspot.Status(to).label, "form": style_form(form)})
        context["moves"] = moves
    if context["shows_cases"]:
        linked = hotspot_cases(user=user, hotspot=hotspot)
        cases = list(linked[:CASES_SHOWN])
        context["cases"] = cases
        context["cases_total"] = linked.count() if len(cases) == CASES_SHOWN else len(cases)
    return context


class HotspotDetailView(HotspotReadMixin, View):
    def get(self, request, pk: int):
        hotspot = hotspot_detail(user=request.user, hotspot_id=pk)
        return render(request, "campaigns/hotspot_detail.html", hotspot_page_context(request, hotspot))


class HotspotTransitionView(HotspotWriteMixin, View):
    """Move a hotspot one step (the form on its file); a refused move shows the file again with the message."""

    http_method_names = ["post"]

    def post(self, request, pk: int):
        hotspot = hotspot_get(user=request.user, hotspot_id=pk)  # out of scope: 404
        to = request.POST.get("to", "")
        auto_id = f"move-{to}-%s" if to in Hotspot.Status.values else "move-%s"
        form = HotspotTransitionForm(request.POST, auto_id=auto_id)
        if form.is_valid():
            data = form.cleaned_data
            try:
                hotspot = hotspot_transition(
                    hotspot=hotspot,
                    to=data["to"],
                    on=data["on"],
                    note=data["note"],
                    version=data["version"],
                    actor=request.user,
                )
            except StaleVersionError as error:
                # Keep what the user typed; the page shows the hotspot as it is now, and moving again is their call.
                current = hotspot_get(user=request.user, hotspot_id=pk)
                fresh = request.POST.copy()
                fresh["version"] = str(current.version)
                form = HotspotTransitionForm(fresh, auto_id=auto_id)
                form.is_valid()
                form.add_error(None, error.messages)
            except ValidationError as error:
                add_service_error(form, error)
            else:
                messages.success(
                    request, _("The hotspot is now “%(status)s”.") % {"status": hotspot.get_status_display()}
                )
                return redirect("campaigns:hotspot-detail", pk=pk)
        hotspot = hotspot_detail(user=request.user, hotspot_id=pk)
        return render(request, "campaigns/hotspot_detail.html", hotspot_page_context(request, hotspot, move_form=form))


# --- Record and edit ---------------------------------------------------------------------------


class HotspotFormView(HotspotWriteMixin, View):
    """Record a hotspot (no pk) or edit one; both call the services, which have the last word."""

    template_name = "campaigns/hotspot_form.html"

    def get_hotspot(self, pk: int | None) -> Hotspot | None:
        return None if pk is None else hotspot_get(user=self.request.user, hotspot_id=pk)  # out of scope: 404

    def render_form(self, form: HotspotForm, hotspot: Hotspot | None, **extra) -> HttpResponse:
        return render(self.request, self.template_name, {"form": style_form(form), "hotspot": hotspot, **extra})

    def get(self, request, pk: int | None = None):
        hotspot = self.get_hotspot(pk)
        return self.render_form(HotspotForm(user=request.user, hotspot=hotspot), hotspot)

    def post(self, request, pk: int | None = None):
        hotspot = self.get_hotspot(pk)
        form = HotspotForm(request.POST, user=request.user, hotspot=hotspot)
        if not form.is_valid():
            return self.render_form(form, hotspot)
        try:
            if hotspot is None:
                hotspot = hotspot_create(actor=request.user, **form.service_arguments())
                messages.success(request, _("Hotspot “%(name)s” recorded.") % {"name": hotspot.name})
            else:
                hotspot = hotspot_update(
                    hotspot=hotspot,
                    actor=request.user,
                    version=form.cleaned_data["version"],
                    **form.service_arguments(),
                )
                messages.success(request, _("Hotspot “%(name)s” saved.") % {"name": hotspot.name})
        except StaleVersionError as error:
            return self.stale_edit(form, hotspot, error)
        except ValidationError as error:  # CampaignError, or the model's own validation
            add_service_error(form, error)
            return self.render_form(form, hotspot)
        return redirect("campaigns:hotspot-detail", pk=hotspot.pk)

    def stale_edit(self, form: HotspotForm, hotspot: Hotspot, error: StaleVersionError) -> HttpResponse:
        """Nothing was saved: show what the other person changed, keep the user's input, and let them decide."""
        current = hotspot_get(user=self.request.user, hotspot_id=hotspot.pk)
        changes = changed_since(current, form.cleaned_data["version"], HOTSPOT_EDITABLE)
        data = self.request.POST.copy()
        data["version"] = str(current.version)  # saving again is now a deliberate choice over the shown changes
        form = HotspotForm(data, user=self.request.user, hotspot=current)
        form.is_valid()
        form.add_error(None, error.messages)
        return self.render_form(form, current, stale_changes=changes)


urlpatterns = [
    path("hotspots/", HotspotListView.as_view(), name="hotspot-list"),
    path("hotspots/new/", HotspotFormView.as_view(), name="hotspot-create"),
    path("hotspots/<int:pk>/", HotspotDetailView.as_view(), name="hotspot-detail"),
    path("hotspots/<int:pk>/edit/", HotspotFormView.as_view(), name="hotspot-edit"),
    path("hotspots/<int:pk>/move/", HotspotTransitionView.as_view(), name="hotspot-transition"),
]
