"""Every model of the admin × every role × an in-scope and an out-of-scope object.

Only the admin, leader and standing-office roles enter the admin (DESIGN §4); inside it, every list, form,
history and delete page is limited to the user's unit subtree. A model registered in the admin without
an entry in OBJECTS fails the suite.
"""

import pytest
from django.contrib import admin
from django.urls import reverse

from portal.accounts.models import User
from tests.api import matrix_crackdown as crackdown
from tests.api import matrix_inspections as inspections
from tests.api import matrix_propaganda as propaganda
from tests.api import matrix_recommendations as recommendations
from tests.api import matrix_subscriptions as subscriptions
from tests.api.matrix import ROLES, Ctx
from tests.api.test_access_matrix import case_of, hotspot_of, model_of, target_of
from tests.test_page_matrix import SECRETS, assert_no_leak, plant_parties

pytestmark = pytest.mark.django_db
R = User.Role
ADMIN_SITE_ROLES = {R.ADMIN, R.LEADER, R.STANDING_OFFICER}


def summary_of(ctx, in_scope):
    from portal.reports.periods import parse_period
    from portal.reports.snapshots import summary_build

    return summary_build(unit=ctx.tree.pho_yen if in_scope else ctx.tree.ba_dinh, period=parse_period("2024"))


def delivery_of(ctx, in_scope):
    from portal.reports.models import ReportDelivery

    subscriptions.both_deliveries(ctx, in_scope)
    return ReportDelivery.objects.get(period_spec="2025-Q1" if in_scope else "2025-Q2")


def audit_event_of(ctx, in_scope):
    from portal.audit.services import audit_record

    actor = ctx.in_user if in_scope else ctx.out_user
    return audit_record(action="update", actor=actor, object_type="cases.case", object_id="1", object_repr="vụ án")


# label -> (ctx, in_scope) -> the object; None: a model with no unit (the Penal Code's categories).
OBJECTS = {
    "units.unit": lambda c, i: c.tree.pho_yen if i else c.tree.ba_dinh,
    "accounts.user": lambda c, i: c.in_user if i else c.out_user,
    "cases.case": case_of,
    "cases.category": None,
    "reports.target": target_of,
    "reports.summary": summary_of,
    "reports.reportsubscription": subscriptions.subscription_of,
    "reports.reportdelivery": delivery_of,
    "campaigns.hotspot": hotspot_of,
    "campaigns.goodpracticemodel": model_of,
    "campaigns.campaign": crackdown.campaign_of,
    "campaigns.campaignresult": lambda c, i: crackdown.campaign_of(c, i).results.get(),
    "campaigns.propagandaprogram": propaganda.program_of,
    "campaigns.propagandaactivity": propaganda.activity_of,
    "oversight.inspection": inspections.inspection_of,
    "oversight.directive": lambda c, i: inspections.inspection_of(c, i).directives.get(),
    "oversight.recommendation": recommendations.recommendation_of,
    "audit.auditevent": audit_event_of,
}


def registered() -> dict[str, type]:
    return {model._meta.label_lower: model for model in admin.site._registry}


def test_every_admin_model_has_an_entry():
    assert set(registered()) == set(OBJECTS)


def admin_url(model, view: str, *args) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


@pytest.fixture
def ctx(tree, make_user):
    c = Ctx(
        tree=tree,
        in_user=make_user(R.VIEWER, tree.pho_yen, username="trong.pham.vi"),
        out_user=make_user(R.VIEWER, tree.ba_dinh, username="ngoai.pham.vi"),
    )
    plant_parties(c)
    return c


@pytest.mark.parametrize("label", sorted(OBJECTS))
@pytest.mark.parametrize("role", ROLES)
def test_admin_matrix(label, role, ctx, make_user, client):
    model = registered()[label]
    make = OBJECTS[label]
    actor = make_user(role, ctx.tree.thai_nguyen)  # first: subscriptions in scope are the actor's own
    inside = make(ctx, True) if make else None
    outside = make(ctx, False) if make else None
    client.force_login(actor)
    model_admin = admin.site._registry[model]

    changelist = client.get(admin_url(model, "changelist"))
    if role not in ADMIN_SITE_ROLES:
        # Sent to the admin's log-in, which tells a signed-in user their role does not allow it.
        assert changelist.status_code == 302
        assert client.get(changelist["Location"]).status_code == 403
        for obj in (inside, outside):
            if obj is not None:
                response = client.get(admin_url(model, "change", obj.pk))
                assert response.status_code == 302, label
        return

    request = type("R", (), {"user": actor})()
    may_view = model_admin.has_view_or_change_permission(request)
    if not may_view:
        assert changelist.status_code == 403, label
        return
    assert changelist.status_code == 200, label
    text = changelist.content.decode()
    assert_no_leak(text, role, f"admin {label} list")
    if inside is None:
        return
    in_page = client.get(admin_url(model, "change", inside.pk))
    assert in_page.status_code == 200, label
    assert_no_leak(in_page.content.decode(), role, f"admin {label} form")
    assert client.get(admin_url(model, "history", inside.pk)).status_code == 200

    # Out of scope: the form, history and delete pages answer as for a missing object.
    out_page = client.get(admin_url(model, "change", outside.pk))
    assert out_page.status_code == 302 and out_page["Location"] == reverse("admin:index"), label
    assert client.get(admin_url(model, "history", outside.pk)).status_code == 404, label
    delete = client.post(admin_url(model, "delete", outside.pk), {"post": "yes"})
    assert delete.status_code in {302, 403, 404}, label
    assert model.objects.filter(pk=outside.pk).exists(), f"{label}: an out-of-scope object was deleted"
    assert admin_url(model, "change", outside.pk) not in text, f"{label}: the list links an out-of-scope object"
    assert admin_url(model, "change", inside.pk) in text, f"{label}: the list misses an in-scope object"


def test_the_admin_never_shows_the_personal_data_of_a_case_outside_the_rules(ctx, make_user, client):
    """The case admin for each admin-site role: the planted parties' data only as DESIGN §4 allows."""
    from cases.models import Case

    for role in sorted(ADMIN_SITE_ROLES):
        actor = make_user(role, ctx.tree.thai_nguyen)
        client.force_login(actor)
        for key, values in SECRETS.items():
            case = Case.objects.get(parties__full_name=values[0])
            response = client.get(admin_url(Case, "change", case.pk))
            if response.status_code == 200:
                assert_no_leak(response.content.decode(), role, f"admin case {key}")
