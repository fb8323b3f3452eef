"""`manage.py demo_otp`: the current two-step code of the demo log-ins (their key is published)."""

from binascii import unhexlify

from django.core.management.base import BaseCommand
from django_otp.oath import TOTP

from .seed_demo import DEMO_TOTP_KEY


class Command(BaseCommand):
    help = (
        "Print the current 6-digit code for the demo users' authenticator key (tw.admin, tn.lanhdao, ...). "
        "It opens only accounts that `seed_demo` created: every other account has its own secret key."
    )

    def handle(self, *args, **options) -> None:
        totp = TOTP(unhexlify(DEMO_TOTP_KEY))
        seconds_left = totp.step - (totp.time - totp.t0) % totp.step
        self.stdout.write(f"{totp.token():06d}")
        self.stderr.write(f"(valid for {int(seconds_left)} more seconds; a code is accepted once)")
