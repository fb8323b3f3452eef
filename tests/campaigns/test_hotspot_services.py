"""Hotspot services: the lifecycle table, dates, optimistic locking, scope and coordinates."""

from datetime import timedelta

import pytest

from campaigns.models import Hotspot, HotspotEvent
from campaigns.services import (
    CampaignError,
    StaleVersionError,
    hotspot_create,
    hotspot_transition,
    hotspot_update,
)
from portal.accounts.models import User
from tests.campaigns.conftest import DAY, TODAY

pytestmark = pytest.mark.django_db
S = Hotspot.Status


@pytest.fixture
def hotspot(tree, officer):
    return hotspot_create(
        actor=officer, unit=tree.pho_yen, kind="drugs", name="Bãi sông Cầu", identified_on=DAY, note="Tin báo"
    )


def test_create_copies_the_roll_up_path_and_starts_the_timeline(tree, hotspot, officer):
    assert hotspot.unit_path == tree.pho_yen.rollup_path
    assert hotspot.status == S.IDENTIFIED
    assert hotspot.version == 1
    (event,) = hotspot.events.all()
    assert (event.kind, event.to_status, event.on, event.actor, event.note) == (
        HotspotEvent.Kind.CREATED,
        S.IDENTIFIED,
        DAY,
        officer,
        "Tin báo",
    )


def test_a_legacy_unit_rolls_up_into_its_successor(tree, officer):
    hotspot = hotspot_create(actor=officer, unit=tree.legacy_ba_hang, kind="gambling", name="Chợ cũ", identified_on=DAY)
    assert hotspot.unit_path == tree.pho_yen.path
    assert Hotspot.objects.visible_to(officer).filter(pk=hotspot.pk).exists()


def test_the_whole_lifecycle_stamps_its_dates(hotspot, officer):
    hotspot = hotspot_transition(
        hotspot=hotspot, to=S.UNDER_REMEDIATION, on=DAY + timedelta(days=3), actor=officer, version=1, note="Ra quân"
    )
    assert (hotspot.status, hotspot.remediation_started_on, hotspot.version) == (
        S.UNDER_REMEDIATION,
        DAY + timedelta(days=3),
        2,
    )
    hotspot = hotspot_transition(hotspot=hotspot, to=S.RESOLVED, on=DAY + timedelta(days=40), actor=officer, version=2)
    assert (hotspot.status, hotspot.resolved_on) == (S.RESOLVED, DAY + timedelta(days=40))
    moves = list(hotspot.events.filter(kind=HotspotEvent.Kind.STATUS).values_list("from_status", "to_status", "note"))
    assert moves == [(S.IDENTIFIED, S.UNDER_REMEDIATION, "Ra quân"), (S.UNDER_REMEDIATION, S.RESOLVED, "")]
    assert hotspot.allowed_moves() == []


@pytest.mark.parametrize(
    ("moves", "illegal", "allowed"),
    [
        ([], S.RESOLVED, "Under remediation"),
        ([], S.IDENTIFIED, "Under remediation"),
        ([S.UNDER_REMEDIATION], S.IDENTIFIED, "Resolved"),
        ([S.UNDER_REMEDIATION, S.RESOLVED], S.UNDER_REMEDIATION, "none (final status)"),
    ],
)
def test_illegal_moves_are_refused_naming_the_allowed_ones(hotspot, officer, moves, illegal, allowed):
    for n, to in enumerate(moves):
        hotspot = hotspot_transition(
            hotspot=hotspot, to=to, on=DAY + timedelta(days=n + 1), actor=officer, version=n + 1
        )
    with pytest.raises(CampaignError) as refused:
        hotspot_transition(hotspot=hotspot, to=illegal, on=TODAY, actor=officer, version=hotspot.version)
    assert f"Allowed moves: {allowed}." in refused.value.message_dict["to"][0]
    assert Hotspot.objects.get(pk=hotspot.pk).status == hotspot.status


def test_a_move_may_not_predate_the_previous_step_or_lie_in_the_future(hotspot, officer):
    with pytest.raises(CampaignError, match="before the date identified"):
        hotspot_transition(
            hotspot=hotspot, to=S.UNDER_REMEDIATION, on=DAY - timedelta(days=1), actor=officer, version=1
        )
    with pytest.raises(CampaignError, match="in the future"):
        hotspot_transition(
            hotspot=hotspot, to=S.UNDER_REMEDIATION, on=TODAY + timedelta(days=1), actor=officer, version=1
        )


def test_a_stale_version_is_refused_and_nothing_is_written(hotspot, officer):
    hotspot_update(hotspot=hotspot, actor=officer, version=1, name="Bãi sông Cầu (bến cũ)")
    with pytest.raises(StaleVersionError, match="your version 1, now 2"):
        hotspot_transition(hotspot=hotspot, to=S.UNDER_REMEDIATION, on=DAY, actor=officer, version=1)
    with pytest.raises(StaleVersionError):
        hotspot_update(hotspot=hotspot, actor=officer, version=1, name="Khác")
    hotspot.refresh_from_db()
    assert (hotspot.status, hotspot.name, hotspot.version) == (S.IDENTIFIED, "Bãi sông Cầu (bến cũ)", 2)


def test_update_moves_the_scope_path_with_the_unit(tree, national, hotspot):
    hotspot = hotspot_update(hotspot=hotspot, actor=national, version=1, unit=tree.ba_dinh)
    assert hotspot.unit_path == tree.ba_dinh.rollup_path
    assert hotspot.events.filter(kind=HotspotEvent.Kind.EDITED, note="unit").exists()


def test_update_refuses_fields_that_move_only_through_the_lifecycle(hotspot, officer):
    with pytest.raises(CampaignError, match="cannot be changed here: status"):
        hotspot_update(hotspot=hotspot, actor=officer, version=1, status=S.RESOLVED)


def test_units_outside_the_actor_scope_are_refused(tree, officer, hotspot):
    with pytest.raises(CampaignError, match="outside your scope"):
        hotspot_create(actor=officer, unit=tree.ba_dinh, kind="theft", name="Ngoài", identified_on=DAY)
    with pytest.raises(CampaignError, match="outside your scope"):
        hotspot_update(hotspot=hotspot, actor=officer, version=1, unit=tree.ba_dinh)


@pytest.mark.parametrize(("lat", "lng"), [(91, 105), (21, 181), (-90.5, 0)])
def test_coordinates_out_of_range_are_refused(tree, officer, lat, lng):
    with pytest.raises(CampaignError):
        hotspot_create(
            actor=officer, unit=tree.pho_yen, kind="theft", name="X", identified_on=DAY, latitude=lat, longitude=lng
        )
    assert not Hotspot.objects.exists()


@pytest.mark.parametrize("role", [User.Role.LEADER, User.Role.INVESTIGATOR, User.Role.VIEWER])
def test_roles_without_the_edit_capability_are_refused(tree, make_user, role):
    with pytest.raises(CampaignError, match="does not allow"):
        hotspot_create(
            actor=make_user(role, tree.thai_nguyen), unit=tree.pho_yen, kind="theft", name="X", identified_on=DAY
        )


def test_history_is_kept(hotspot, officer):
    hotspot_transition(hotspot=hotspot, to=S.UNDER_REMEDIATION, on=DAY, actor=officer, version=1)
    assert [h.status for h in hotspot.history.order_by("history_id")] == [S.IDENTIFIED, S.UNDER_REMEDIATION]
