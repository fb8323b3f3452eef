"""Schemathesis against the live portal: every operation of the OpenAPI schema, signed in as an admin.

The schema is fetched from /api/schema/ of a real HTTP server (pytest-django's `live_server`); for each
operation schemathesis draws requests from it, and every answer must be no server error, with a status code,
media type and body the schema documents. PORTAL_FUZZ_EXAMPLES sets the examples per operation (docs/api.md,
"Fuzzing"); generation is derandomized and keeps no example database, so a run is reproducible.
"""

import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from hypothesis.configuration import set_hypothesis_home_dir
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from portal.accounts.models import User
from tests.api import matrix_crackdown, matrix_inspections, matrix_propaganda, matrix_recommendations
from tests.api.matrix import Ctx
from tests.api.test_access_matrix import api_endpoints, case_of, hotspot_of, model_of, target_of
from tests.factories import TEST_PASSWORD, UserFactory

# About a minute on SQLite and two on PostgreSQL on a 2-core machine (docs/api.md, "Fuzzing").
EXAMPLES = int(os.environ.get("PORTAL_FUZZ_EXAMPLES", "50"))
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


# Dates the portal's rules accept (after the 2025 unit reform, in a closed year): a random one is mostly refused.
DATE_FIELDS = {"on", "recorded_on", "identified_on", "started_on", "starts_on", "ends_on", "due_on", "new_due_on"}
DATE_FIELDS |= {"granted_on", "replicated_on", "start", "end"}
DATES = ["2025-09-01", "2025-10-15"]


@dataclass
class Seeds:
    """Values of real rows: ids for path parameters, by resource (the first path segment under /api/v1/), and for
    body fields, by name; the fuzzer draws them half the time, so its requests get past "not found" and "no such
    unit" to the writes themselves and their answers."""

    by_resource: dict[str, dict[str, list]] = field(default_factory=dict)
    by_field: dict[str, list] = field(default_factory=lambda: dict.fromkeys(DATE_FIELDS, DATES))

    def add(self, resource: str, name: str, *values) -> None:
        self.by_resource.setdefault(resource, {}).setdefault(name, []).extend(values)

    def for_path(self, path: str) -> dict[str, list]:
        return self.by_resource.get(path.removeprefix("/api/v1/").split("/", 1)[0], {})

    def for_field(self, name: str, drawn) -> list:
        # Of the drawn value's type only: `unit` is an id in most bodies and a code in a few.
        return [value for value in self.by_field.get(name, []) if type(value) is type(drawn)]


def seed(tree) -> Seeds:
    """A few rows of every kind, in the actor's scope and outside it."""
    ctx = Ctx(
        tree=tree,
        in_user=UserFactory(role=User.Role.VIEWER, unit=tree.pho_yen),
        out_user=UserFactory(role=User.Role.VIEWER, unit=tree.ba_dinh),
    )
    seeds = Seeds()
    seeds.add("units", "id", tree.thai_nguyen.pk, tree.pho_yen.pk, tree.ba_dinh.pk, tree.legacy_ba_hang.pk)
    seeds.add("users", "id", ctx.in_user.pk, ctx.out_user.pk)
    seeds.add("categories", "article", "173", "248")
    for in_scope in (True, False):
        seeds.add("cases", "id", case_of(ctx, in_scope).pk)
        seeds.add("hotspots", "id", hotspot_of(ctx, in_scope).pk)
        seeds.add("models", "id", model_of(ctx, in_scope).pk)
        seeds.add("targets", "id", target_of(ctx, in_scope).pk)
        campaign = matrix_crackdown.campaign_of(ctx, in_scope)
        seeds.add("campaigns", "id", campaign.pk)
        seeds.add("campaigns", "result_pk", *campaign.results.values_list("pk", flat=True))
        document = matrix_inspections.document_obj(ctx, in_scope)[0]
        seeds.add("inspections", "id", document["pk"])
        seeds.add("inspections", "doc_id", document["doc_id"])
        inspection = matrix_inspections.inspection_of(ctx, in_scope)
        seeds.add("directives", "id", *inspection.directives.values_list("pk", flat=True))
        activity = matrix_propaganda.activity_of(ctx, in_scope)
        seeds.add("propaganda-activities", "id", activity.pk)
        seeds.add("propaganda-programs", "id", activity.program_id)
        seeds.add("recommendations", "id", matrix_recommendations.recommendation_of(ctx, in_scope).pk)
    units = [tree.thai_nguyen, tree.pho_yen]
    for name in ("unit", "lead_unit", "inspecting_unit", "responsible_unit", "raising_unit", "evaluator_unit"):
        seeds.by_field[name] = [unit.pk for unit in units] + [unit.code for unit in units]
    seeds.by_field |= {
        "addressed_to": [tree.thai_nguyen.pk, tree.root.pk],
        "to_unit": [tree.root.pk],
        "inspected_units": [[tree.pho_yen.pk]],
        "category": ["173"],
        "version": [1],
        "program": seeds.for_path("/api/v1/propaganda-programs/")["id"],
        "inspection": seeds.for_path("/api/v1/inspections/")["id"],
        "period": ["2024", "2025-Q3"],
        "password": [TEST_PASSWORD],
    }
    return seeds


def fuzz(operation, *, headers: dict, before_each: Callable[[], None]) -> tuple[int, str | None]:
    """Send EXAMPLES requests drawn for one operation; (requests sent, the failure report or None)."""
    sent = 0

    @given(case=operation.as_strategy(headers=headers))
    @settings(
        max_examples=EXAMPLES,
        derandomize=True,
        database=None,
        deadline=None,
        # No shrinking: a failure is reported as found, and a failing run stays as short as a passing one.
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    def run(case):
        nonlocal sent
        before_each()
        sent += 1
        case.call_and_validate(checks=CHECKS)

    try:
        run()
    except (Exception, BaseExceptionGroup) as failure:  # every operation runs; the failures are reported together
        return sent, str(failure)
    return sent, None


@pytest.fixture
def hypothesis_home(tmp_path):
    # Hypothesis keeps caches (Unicode tables, the constants it collects from our code) in .hypothesis/ of the
    # working directory: here they go to a throw-away folder. It keeps no examples at all (database=None).
    set_hypothesis_home_dir(tmp_path / "hypothesis")
    yield
    set_hypothesis_home_dir(None)


@pytest.fixture
def no_rate_limits(settings):
    # Hundreds of requests a minute from one user and one address (tests/api/test_limits.py tests the limits).
    settings.API_RATES = {"user": None, "address": None}


def test_every_api_operation_answers_as_its_schema_says(live_server, tree, make_user, no_rate_limits, hypothesis_home):
    actor = make_user(User.Role.ADMIN, tree.thai_nguyen)
    token = Token.objects.create(user=actor)
    headers = {"Authorization": f"Token {token.key}"}
    seeds = seed(tree)
    schema = schemathesis.openapi.from_url(f"{live_server.url}/api/schema/?format=json", headers=headers)

    @schema.hook
    def before_generate_path_parameters(context, strategy):
        # Ids of real rows half the time, so the fuzzer gets past the 404 of a missing object.
        known = seeds.for_path(context.operation.path)
        names = {parameter.name for parameter in context.operation.path_parameters}
        if not names or not names <= known.keys():
            return strategy
        return st.one_of(st.fixed_dictionaries({name: st.sampled_from(known[name]) for name in names}), strategy)

    @schema.hook
    def flatmap_body(context, body):
        if not isinstance(body, dict):
            return st.just(body)
        return st.fixed_dictionaries(
            {
                name: st.one_of(st.just(value), st.sampled_from(known))
                if (known := seeds.for_field(name, value))
                else st.just(value)
                for name, value in body.items()
            }
        )

    def keep_signed_in():
        # DELETE auth/token/current/ revokes the token: give it back, so the operations after it stay signed in.
        Token.objects.get_or_create(key=token.key, defaults={"user": actor})

    operations = [result.ok() for result in schema.get_all_operations()]
    started = time.monotonic()
    sent, failures = {}, {}
    for operation in operations:
        sent[operation.label], failure = fuzz(operation, headers=headers, before_each=keep_signed_in)
        if failure:
            failures[operation.label] = failure
    print(f"fuzzed {len(sent)} operations, {sum(sent.values())} requests in {time.monotonic() - started:.0f} s")

    # Every API route is in the schema, and every operation of the schema was fuzzed: a new endpoint is too.
    assert len(operations) == len(api_endpoints())
    assert {label for label, count in sent.items() if count} == {operation.label for operation in operations}
    assert not failures, "\n\n".join(f"{label}:\n{report}" for label, report in sorted(failures.items()))
