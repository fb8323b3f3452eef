"""`manage.py sync_roles`: one group per role with its model permissions (idempotent)."""

from django.core.management.base import BaseCommand

from portal.accounts.services import roles_sync


class Command(BaseCommand):
    help = "Create or update the role groups and their permissions, and re-attach users to them."

    def handle(self, *args, **options) -> None:
        result = roles_sync()
        summary = ", ".join(f"{role} ({n} permissions)" for role, n in result.items())
        self.stdout.write(f"Roles synced: {summary}.")
