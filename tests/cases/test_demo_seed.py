"""seed_demo's cases: about 3,000 for Thái Nguyên, on the unit list in force each day, idempotent."""

from datetime import date

import pytest
from django.core.management import call_command
from django.db.models import Count, Max, Min

from cases.models import Case, Party
from portal.accounts.models import User
from portal.accounts.services import roles_sync
from portal.units.models import Unit
from portal.units.services import units_load

pytestmark = pytest.mark.django_db


def test_seed_demo_imports_realistic_cases_once(capsys):
    units_load()
    roles_sync()
    call_command("seed_demo")
    assert "3000 imported" in capsys.readouterr().out
    cases = Case.objects.all()
    assert cases.count() == 3000
    assert all(path.startswith("VN/19/") for path in cases.values_list("unit_path", flat=True).distinct())
    reform = date(2025, 7, 1)
    assert not cases.filter(recorded_on__lt=reform, unit__edition=Unit.Edition.CURRENT).exists()
    assert not cases.filter(recorded_on__gte=reform, unit__edition=Unit.Edition.LEGACY).exists()
    span = cases.aggregate(first=Min("recorded_on"), last=Max("recorded_on"))
    assert span["first"].year == 2019 and span["last"].year >= 2026
    statuses = dict(cases.values_list("status").annotate(n=Count("id")).order_by())
    assert set(statuses) == set(Case.Status.values)
    assert len(set(cases.values_list("line", flat=True))) == 6
    assert cases.filter(due_on__lt=date.today()).exists()  # some are overdue
    assert Party.objects.filter(case__in=cases).exists()
    # Every demo log-in has an address, so the mail the demo sends shows up in var/mail/.
    emails = list(User.objects.values_list("email", flat=True))
    assert len(emails) == 14 and all(e.endswith("@demo.portal138.example") for e in emails)

    call_command("seed_demo")
    assert "none added" in capsys.readouterr().out
    assert Case.objects.count() == 3000
