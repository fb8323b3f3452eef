"""`manage.py create_admin`: the first administrator of a unit (a user without a unit sees nothing)."""

import getpass

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from portal.accounts.models import User
from portal.accounts.services import user_sync_access
from portal.units.models import Unit


class Command(BaseCommand):
    help = "Create an administrator for a unit (default: the national root). Asks for the password."

    def add_arguments(self, parser) -> None:
        parser.add_argument("username")
        parser.add_argument("--unit", default=Unit.ROOT_CODE, help="Code of a current unit (default: VN).")
        parser.add_argument("--email", default="")
        parser.add_argument("--full-name", default="")

    def handle(self, *args, username: str, unit: str, email: str, full_name: str, **options) -> None:
        target = Unit.objects.current().filter(code=unit).first()
        if target is None:
            raise CommandError(f"No current unit with code {unit!r} (run load_units first?).")
        if User.objects.filter(username__iexact=username).exists():
            raise CommandError(f"The username {username!r} is taken.")
        user = User(username=username, email=email, full_name=full_name, unit=target, role=User.Role.ADMIN)
        password = getpass.getpass("Password: ")
        if password != getpass.getpass("Password (again): "):
            raise CommandError("The passwords differ.")
        try:
            validate_password(password, user)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        user.set_password(password)
        user.save()
        user_sync_access(user=user)
        self.stdout.write(f"Administrator {username} created for {target.name}.")
