"""Demo targets for `seed_demo`: Nghị quyết 96/2019/QH14's national targets for every demo year."""

from portal.units.models import Unit

from .models import Target, TargetIndicator

RESOLUTION = "Nghị quyết 96/2019/QH14 của Quốc hội"
NATIONAL_TARGETS = {TargetIndicator.CLEARANCE_RATE: 75, TargetIndicator.SERIOUS_CLEARANCE_RATE: 90}
DEMO_YEARS = (2019, 2030)


def seed() -> str:
    root = Unit.objects.get(edition=Unit.Edition.CURRENT, code=Unit.ROOT_CODE)
    created = 0
    for indicator, value in NATIONAL_TARGETS.items():
        _target, is_new = Target.objects.get_or_create(
            indicator=indicator,
            unit=root,
            year_from=DEMO_YEARS[0],
            defaults={"year_to": DEMO_YEARS[1], "value": value, "source": RESOLUTION},
        )
        created += is_new
    return f"Demo targets: {created} created (clearance > 75%, very/especially serious > 90%, {RESOLUTION})."
