"""Who may do what with a case, and how personal data of parties is masked for the others."""

from portal.accounts.models import User
from portal.accounts.permissions import has_capability
from portal.accounts.roles import C

from .models import Case


def can_view_cases(user) -> bool:
    return has_capability(user, C.VIEW_CASES)


def can_create_cases(user) -> bool:
    return has_capability(user, C.EDIT_CASES)


def can_import_cases(user) -> bool:
    """Bulk imports are for the standing office and administrators, not for single investigators."""
    return can_create_cases(user) and user.role in {User.Role.ADMIN, User.Role.STANDING_OFFICER}


def _is_own_case(user, case: Case) -> bool:
    """An investigator's own cases: handled by their unit, or assigned to them."""
    if case.handling_unit_id == user.unit_id:
        return True
    return any(officer.pk == user.pk for officer in case.officers.all())


def can_edit_case(user, case: Case) -> bool:
    """Edit and move a case (the case is already known to be in the user's scope)."""
    if not has_capability(user, C.EDIT_CASES):
        return False
    return user.role != User.Role.INVESTIGATOR or _is_own_case(user, case)


def can_see_identities(user, case: Case) -> bool:
    """Names and ID numbers of suspects, victims and witnesses."""
    if not has_capability(user, C.VIEW_PARTY_IDENTITIES):
        return False
    return user.role != User.Role.INVESTIGATOR or _is_own_case(user, case)


def mask_name(name: str) -> str:
    """ "Nguyễn Văn An" -> "N. V. A.": initials only."""
    return " ".join(f"{part[0]}." for part in name.split() if part)


def mask_id_number(number: str) -> str:
    """Keep the last three characters of a real ID number: "001203004567" -> "*********567".

    A number shorter than nine characters (no real ID is) is hidden whole, since three of a
    few characters would reveal most of it.
    """
    if not number:
        return ""
    if len(number) < 9:
        return "*" * len(number)
    return "*" * (len(number) - 3) + number[-3:]
