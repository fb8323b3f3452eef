"""Demo cases for `seed_demo`: about 3,000 Thái Nguyên cases since 2019, imported like any file."""

import csv
import random
import tempfile
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from portal.accounts.models import User
from portal.units.models import Unit

from .demo import HEADER, case_rows
from .importing import import_cases
from .models import Case, Party

DEMO_COUNT = 3000
DEMO_SEED = 138
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Ngô", "Dương", "Lý"]
MIDDLE = ["Văn", "Thị", "Đức", "Minh", "Thu", "Hữu", "Ngọc", "Quang", "Thanh"]
GIVEN = ["An", "Bình", "Cường", "Dũng", "Hà", "Hải", "Hùng", "Lan", "Long", "Mai", "Nam", "Phương", "Sơn", "Tú"]


def seed(stdout=None) -> str:
    """Import the demo cases once (a province that already has cases is left alone)."""
    province = Unit.objects.current().get(code="19")
    if Case.objects.filter(unit_path__startswith=province.path).exists():
        return "Demo cases: Thái Nguyên already has cases, none added."
    today = timezone.localdate() - timedelta(days=1)
    folder = Path(settings.VAR_DIR) / "demo"
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile("w", suffix=".csv", dir=folder, encoding="utf-8", newline="", delete=False) as fh:
        writer = csv.writer(fh)
        writer.writerow(HEADER)
        writer.writerows(case_rows(DEMO_COUNT, seed=DEMO_SEED, today=today))
        path = Path(fh.name)
    try:
        result = import_cases(path=path, filename="seed_demo", actor=None)
    finally:
        path.unlink(missing_ok=True)
    if result.errors:
        return "Demo cases NOT imported: " + "; ".join(str(e) for e in result.errors[:5])
    _people(province)
    return f"Demo cases: {len(result.created)} imported for {province.name} (2019 to {today:%d/%m/%Y})."


@transaction.atomic
def _people(province: Unit) -> None:
    """Suspects and victims on a third of the cases; the demo investigator on open current cases."""
    rng = random.Random(DEMO_SEED)
    cases = list(Case.objects.filter(unit_path__startswith=province.path).order_by("pk").only("pk", "status"))
    parties = []
    for case in cases:
        if rng.random() > 0.33:
            continue
        for role in (Party.Role.SUSPECT, Party.Role.VICTIM):
            parties.append(
                Party(
                    case_id=case.pk,
                    role=role,
                    full_name=f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}",
                    birth_year=rng.randrange(1960, 2008),
                    gender=rng.choice([Party.Gender.MALE, Party.Gender.FEMALE]),
                    id_number=f"019{rng.randrange(0, 10**9):09d}",
                    residence=f"Tổ {rng.randrange(1, 30)}, {province.name}",
                    custody=rng.choice(list(Party.Custody)) if role == Party.Role.SUSPECT else "",
                )
            )
    Party.objects.bulk_create(parties, batch_size=1000)
    investigator = User.objects.filter(username="tn.dieutra").first()
    if investigator is None:
        return
    open_cases = [c for c in cases if c.status in Case.OPEN]
    Case.objects.filter(pk__in=[c.pk for c in open_cases]).update(handling_unit=province)
    through = Case.officers.through
    through.objects.bulk_create(
        [through(case_id=c.pk, user_id=investigator.pk) for c in open_cases], ignore_conflicts=True
    )
