"""The navigation: each entry names the capability that shows it."""

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .permissions import has_capability
from .roles import C


@dataclass(frozen=True)
class NavItem:
    label: str | Promise
    url_name: str
    capability: str


# Modules join this list as their issues land; an entry whose page does not exist yet is skipped.
NAV_ITEMS = [
    NavItem(_("Dashboard"), "dashboard", C.VIEW_DASHBOARD),
    NavItem(_("Cases"), "cases:list", C.VIEW_CASES),
    NavItem(_("Campaigns"), "campaigns:campaign-list", C.VIEW_CAMPAIGNS),
    NavItem(_("Hotspots"), "campaigns:hotspot-list", C.VIEW_CAMPAIGNS),
    NavItem(_("Propaganda"), "campaigns:program-list", C.VIEW_PROPAGANDA),
    NavItem(_("Models"), "campaigns:model-list", C.VIEW_PROPAGANDA),
    NavItem(_("Oversight"), "oversight:list", C.VIEW_OVERSIGHT),
    NavItem(_("Reports"), "reports:subscriptions", C.VIEW_DASHBOARD),
    NavItem(_("Administration"), "admin:index", C.USE_ADMIN_SITE),
]


def nav_for(user) -> list[dict]:
    items = []
    for item in NAV_ITEMS:
        if not has_capability(user, item.capability):
            continue
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:
            continue
        items.append({"label": item.label, "url": url, "name": item.url_name})
    return items
