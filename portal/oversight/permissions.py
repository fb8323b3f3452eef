"""Who may read and change inspections, directives and recommendations (DESIGN §4)."""

from portal.accounts.permissions import has_capability
from portal.accounts.roles import C
from portal.units.models import Unit, scope_unit_of


def can_view_oversight(user) -> bool:
    """Inspections and directives: admins, leaders and standing officers read; inspectors record."""
    return has_capability(user, C.VIEW_OVERSIGHT)


def can_edit_oversight(user) -> bool:
    """Record inspections, their documents and directives: admins and inspectors."""
    return has_capability(user, C.EDIT_OVERSIGHT)


def can_change_inspection(user, inspection) -> bool:
    """Edit an inspection, attach documents, record directives: a writer on the inspecting side (the inspecting
    unit or one above it), as the services require; the inspected units read."""
    return can_edit_oversight(user) and user.unit is not None and user.unit.contains(inspection.inspecting_unit)


def can_report_directive_progress(user, responsible_unit: Unit) -> bool:
    """Progress on a directive: inspectors and admins in scope, or the committee (leader, standing office)
    of a unit holding the responsible unit."""
    unit = scope_unit_of(user)
    if unit is None or not unit.contains(responsible_unit):
        return False
    return has_capability(user, C.EDIT_OVERSIGHT) or has_capability(user, C.ANSWER_RECOMMENDATIONS)


def can_raise_recommendations(user) -> bool:
    """The roles that raise recommendations (the raising unit is checked when they do): admin, leader,
    standing officer, inspector."""
    return has_capability(user, C.ANSWER_RECOMMENDATIONS) or has_capability(user, C.EDIT_OVERSIGHT)


def can_raise_recommendation(user, raising_unit: Unit) -> bool:
    """A committee (admin, leader, standing office) raises proposals for a unit of its subtree; an inspector
    records those an inspection gathered."""
    unit = scope_unit_of(user)
    if unit is None or not unit.contains(raising_unit):
        return False
    return has_capability(user, C.ANSWER_RECOMMENDATIONS) or has_capability(user, C.EDIT_OVERSIGHT)


def can_answer_recommendation(user, addressed_to: Unit) -> bool:
    """Only the addressed unit's own committee answers, forwards or takes up a recommendation: an admin,
    leader or standing officer whose unit IS the addressee (not a unit above or below it)."""
    unit = scope_unit_of(user)
    return unit is not None and unit.pk == addressed_to.pk and has_capability(user, C.ANSWER_RECOMMENDATIONS)
