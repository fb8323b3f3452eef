"""`manage.py seed_demo`: the demo log-ins (one per role, national and Thái Nguyên); idempotent."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.module_loading import import_string
from django_otp.plugins.otp_totp.models import TOTPDevice

from portal.accounts import two_factor
from portal.accounts.models import User
from portal.accounts.services import user_sync_access
from portal.units.models import Unit

DEMO_PASSWORD = "demo-bcd138-2026"  # noqa: S105 - published in the README; demo data only
# The authenticator key of the demo users whose role requires two-step verification: published too
# (README; `manage.py demo_otp` prints its current code), so the demo can be tried without a phone.
DEMO_TOTP_KEY = "50617373776f72642d6f662d7468652d64656d6f"  # noqa: S105 - demo data only
DEMO_MAIL_DOMAIN = "demo.portal138.example"  # a reserved domain: the demo's mail goes to var/mail/ files anyway
DEMO_UNITS = {"tw": Unit.ROOT_CODE, "tn": "19"}  # national root; Tỉnh Thái Nguyên (2025 edition)
ROLE_SLUGS = {
    User.Role.ADMIN: "admin",
    User.Role.LEADER: "lanhdao",
    User.Role.STANDING_OFFICER: "thuongtruc",
    User.Role.INVESTIGATOR: "dieutra",
    User.Role.PROPAGANDA_OFFICER: "tuyentruyen",
    User.Role.INSPECTOR: "kiemtra",
    User.Role.VIEWER: "xem",
}


def demo_username(place: str, role: str) -> str:
    return f"{place}.{ROLE_SLUGS[role]}"


class Command(BaseCommand):
    help = "Create the demo users (password in the README) and, as apps add them, demo records."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--quiet", action="store_true", help="Do not print the log-in table.")

    def handle(self, *args, quiet: bool = False, **options) -> None:
        units = {}
        for place, code in DEMO_UNITS.items():
            unit = Unit.objects.current().filter(code=code).first()
            if unit is None:
                raise CommandError("Units are not loaded: run `python manage.py load_units` first.")
            units[place] = unit
        created = 0
        with transaction.atomic():
            for place, unit in units.items():
                for i, role in enumerate(User.Role, start=1):
                    user, is_new = User.objects.get_or_create(
                        username=demo_username(place, role),
                        defaults={"unit": unit, "role": role, "full_name": f"Cán bộ thử nghiệm {place.upper()}-{i}"},
                    )
                    if is_new:
                        user.set_password(DEMO_PASSWORD)
                        created += 1
                    if is_new or not user.email:
                        # An address, so the mail the portal sends (recommendations, digests) shows in var/mail/.
                        user.email = f"{user.username}@{DEMO_MAIL_DOMAIN}"
                        user.save()
                    user_sync_access(user=user)
                    if two_factor.required_for(user) and not two_factor.has_device(user):
                        TOTPDevice.objects.create(
                            user=user, name=two_factor.APP_DEVICE_NAME, key=DEMO_TOTP_KEY, confirmed=True
                        )
        # Each app seeds its own demo records (settings.PORTAL_DEMO_SEEDERS): accounts imports no app.
        reports = [import_string(path)() for path in settings.PORTAL_DEMO_SEEDERS]
        if quiet:
            return
        for report in reports:
            self.stdout.write(report)
        self.stdout.write(f"Demo users: {created} created. Password for all: {DEMO_PASSWORD}")
        for place, unit in units.items():
            names = ", ".join(demo_username(place, role) for role in User.Role)
            self.stdout.write(f"  {unit.name}: {names}")
        self.stdout.write(
            "Two-step verification: the admin and leader log-ins ask for a code after the password; "
            "`.venv/bin/python manage.py demo_otp` prints the current one."
        )
