"""The access matrix's building blocks, shared by the per-area row modules (matrix_*.py)."""

from collections.abc import Callable
from dataclasses import dataclass, field

from portal.accounts.models import User

ROLES = list(User.Role)
ADMIN_ONLY = {User.Role.ADMIN}
# DESIGN §4: case list and detail (inspector read-only); create, edit and move cases.
CASE_READERS = {
    User.Role.ADMIN,
    User.Role.LEADER,
    User.Role.STANDING_OFFICER,
    User.Role.INVESTIGATOR,
    User.Role.INSPECTOR,
}
CASE_WRITERS = {User.Role.ADMIN, User.Role.STANDING_OFFICER, User.Role.INVESTIGATOR}


@dataclass
class Ctx:
    """Objects of the matrix: the actor sits in Thái Nguyên; "out" objects are in Hà Nội."""

    tree: object
    in_user: User
    out_user: User


@dataclass
class Row:
    name: str  # URL name in the "api" namespace
    method: str
    # (ctx, in_scope) -> (url kwargs, request body)
    target: Callable[[Ctx, bool], tuple[dict, dict | None]]
    allowed: set = field(default_factory=lambda: set(ROLES))
    # Status for an allowed role on the in-scope and out-of-scope target.
    ok: int = 200
    out: int = 404
    # For list endpoints: what must (in scope) and must not (out of scope) be listed.
    listed: Callable[[Ctx, bool], str] | None = None


def no_object(ctx, in_scope):
    return {}, None
