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


# (username, unit code, period kind, formats): the national leader gets the country's 9-month and quarterly
# reports, Thái Nguyên's leader the province's 9-month report, its standing office the monthly one as PDF.
DEMO_SUBSCRIPTIONS = [
    ("tw.lanhdao", Unit.ROOT_CODE, "nine_months", "both"),
    ("tw.lanhdao", Unit.ROOT_CODE, "quarter", "both"),
    ("tn.lanhdao", "19", "nine_months", "both"),
    ("tn.thuongtruc", "19", "month", "pdf"),
]


def seed_subscriptions() -> str:
    """Demo report subscriptions (`send_reports --period 2021-9M` then mails two 9-month reports to var/mail/)."""
    from portal.accounts.models import User

    from .models import ReportSubscription
    from .subscriptions import subscription_create

    created = 0
    for username, code, kind, formats in DEMO_SUBSCRIPTIONS:
        user = User.objects.filter(username=username).select_related("unit").first()
        unit = Unit.objects.filter(edition=Unit.Edition.CURRENT, code=code).first()
        if user is None or unit is None or not user.email:
            continue
        if ReportSubscription.objects.filter(user=user, unit=unit, period_kind=kind).exists():
            continue
        subscription_create(actor=user, unit=unit, period_kind=kind, formats=formats)
        created += 1
    return f"Demo report subscriptions: {created} created (send them with `manage.py send_reports --period 2021-9M`)."
