"""The seven roles of DESIGN §4: what each may do, and the model permissions of its group."""

from .models import User

R = User.Role
ALL_ROLES = frozenset(R)


class Capability:
    """Names of the capabilities in DESIGN §4's table (one row each)."""

    VIEW_DASHBOARD = "view_dashboard"
    VIEW_CASES = "view_cases"
    VIEW_PARTY_IDENTITIES = "view_party_identities"
    EDIT_CASES = "edit_cases"
    VIEW_CAMPAIGNS = "view_campaigns"
    EDIT_CAMPAIGNS = "edit_campaigns"
    VIEW_PROPAGANDA = "view_propaganda"
    EDIT_PROPAGANDA = "edit_propaganda"
    VIEW_OVERSIGHT = "view_oversight"
    EDIT_OVERSIGHT = "edit_oversight"
    ANSWER_RECOMMENDATIONS = "answer_recommendations"
    SET_TARGETS = "set_targets"
    APPROVE_SUMMARIES = "approve_summaries"
    MANAGE_USERS = "manage_users"
    USE_ADMIN_SITE = "use_admin_site"


C = Capability
CAPABILITIES: dict[str, frozenset[str]] = {
    C.VIEW_DASHBOARD: ALL_ROLES,
    C.VIEW_CASES: frozenset({R.ADMIN, R.LEADER, R.STANDING_OFFICER, R.INVESTIGATOR, R.INSPECTOR}),
    # Investigators see identities of their own unit's cases only: enforced where cases are read.
    C.VIEW_PARTY_IDENTITIES: frozenset({R.ADMIN, R.LEADER, R.STANDING_OFFICER, R.INVESTIGATOR}),
    C.EDIT_CASES: frozenset({R.ADMIN, R.STANDING_OFFICER, R.INVESTIGATOR}),
    C.VIEW_CAMPAIGNS: ALL_ROLES,
    C.EDIT_CAMPAIGNS: frozenset({R.ADMIN, R.STANDING_OFFICER}),
    C.VIEW_PROPAGANDA: frozenset({R.ADMIN, R.LEADER, R.STANDING_OFFICER, R.PROPAGANDA_OFFICER, R.INSPECTOR, R.VIEWER}),
    C.EDIT_PROPAGANDA: frozenset({R.ADMIN, R.STANDING_OFFICER, R.PROPAGANDA_OFFICER}),
    C.VIEW_OVERSIGHT: frozenset({R.ADMIN, R.LEADER, R.STANDING_OFFICER, R.INSPECTOR}),
    C.EDIT_OVERSIGHT: frozenset({R.ADMIN, R.INSPECTOR}),
    C.ANSWER_RECOMMENDATIONS: frozenset({R.ADMIN, R.LEADER, R.STANDING_OFFICER}),
    C.SET_TARGETS: frozenset({R.ADMIN, R.LEADER}),
    C.APPROVE_SUMMARIES: frozenset({R.ADMIN, R.LEADER}),
    C.MANAGE_USERS: frozenset({R.ADMIN}),
    C.USE_ADMIN_SITE: frozenset({R.ADMIN, R.LEADER, R.STANDING_OFFICER}),
}


def capabilities_of(role: str) -> frozenset[str]:
    return frozenset(cap for cap, roles in CAPABILITIES.items() if role in roles)


# Model permissions of each role's group, so the Django admin works natively.
# Later apps add their models' permissions here.
_CASE_EDIT = [
    "cases.view_case",
    "cases.add_case",
    "cases.change_case",
    "cases.view_caseevent",
    "cases.view_party",
    "cases.add_party",
    "cases.change_party",
    "cases.view_category",
]
# Campaigns and hotspots share a row of DESIGN §4; so do propaganda and good-practice models.
_HOTSPOT_READ = [
    "campaigns.view_hotspot",
    "campaigns.view_hotspotevent",
    "campaigns.view_campaign",
    "campaigns.view_campaigntarget",
    "campaigns.view_campaignresult",
]
_HOTSPOT_EDIT = [*_HOTSPOT_READ, "campaigns.change_hotspot", "campaigns.change_campaign"]
_MODEL_READ = [
    "campaigns.view_goodpracticemodel",
    "campaigns.view_modelreplication",
    "campaigns.view_modelevaluation",
    "campaigns.view_propagandaprogram",
    "campaigns.view_propagandaactivity",
]
_MODEL_EDIT = [
    *_MODEL_READ,
    "campaigns.change_goodpracticemodel",
    "campaigns.add_modelevaluation",
    "campaigns.change_modelevaluation",
    "campaigns.change_propagandaprogram",
    "campaigns.change_propagandaactivity",
    "campaigns.delete_propagandaactivity",
]
_OVERSIGHT_READ = [
    "oversight.view_inspection",
    "oversight.view_inspectedunit",
    "oversight.view_inspectiondocument",
    "oversight.view_directive",
    "oversight.view_directiveupdate",
    "oversight.view_recommendation",
    "oversight.view_recommendationstep",
]
_OVERSIGHT_EDIT = [*_OVERSIGHT_READ, "oversight.change_inspection", "oversight.change_directive"]
# Report subscriptions: everyone who enters the admin manages the ones they see (their own; a leader's subtree).
_SUBSCRIPTIONS = [
    "reports.view_reportsubscription",
    "reports.add_reportsubscription",
    "reports.change_reportsubscription",
    "reports.view_reportdelivery",
]
_STATS_READ = ["reports.view_target", "reports.view_summary", *_SUBSCRIPTIONS]
_STATS_SET = [*_STATS_READ, "reports.add_target", "reports.change_target", "reports.change_summary"]
ROLE_PERMISSIONS: dict[str, list[str]] = {
    R.ADMIN: [
        *_STATS_SET,
        "units.view_unit",
        "accounts.view_user",
        "accounts.add_user",
        "accounts.change_user",
        *_CASE_EDIT,
        *_HOTSPOT_EDIT,
        *_MODEL_EDIT,
        *_OVERSIGHT_EDIT,
        # The audit trail: read only, for everyone (no role may add, change or delete a row).
        "audit.view_auditevent",
    ],
    R.LEADER: [
        "units.view_unit",
        "cases.view_case",
        "cases.view_caseevent",
        "cases.view_party",
        "cases.view_category",
        *_STATS_SET,
        *_HOTSPOT_READ,
        *_MODEL_READ,
        *_OVERSIGHT_READ,
    ],
    R.STANDING_OFFICER: [
        "units.view_unit",
        *_CASE_EDIT,
        *_STATS_READ,
        *_HOTSPOT_EDIT,
        *_MODEL_EDIT,
        *_OVERSIGHT_READ,
    ],
    R.INVESTIGATOR: [],
    R.PROPAGANDA_OFFICER: [],
    R.INSPECTOR: [],
    R.VIEWER: [],
}


def group_name(role: str) -> str:
    return f"role:{role}"
