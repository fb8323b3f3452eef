"""A real SMTP server on loopback for mail tests (aiosmtpd): it keeps every message it accepts."""

import email
import socket
from email import policy

import pytest
from aiosmtpd.controller import Controller


class Sink:
    """An SMTP server's handler that keeps every message it accepts, with its envelope recipients."""

    def __init__(self):
        self.messages: list[tuple[list[str], email.message.EmailMessage]] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's hook name)
        message = email.message_from_bytes(envelope.content, policy=policy.default)
        self.messages.append((list(envelope.rcpt_tos), message))
        return "250 OK"

    def recipients(self) -> list[str]:
        return sorted(to for tos, _message in self.messages for to in tos)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve(sink: Sink, settings):
    """Run an SMTP server with `sink` on loopback and point the portal's mailer at it, until the generator ends."""
    controller = Controller(sink, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": controller.port, "timeout": 10},
        }
    }
    try:
        yield sink
    finally:
        controller.stop()


@pytest.fixture
def smtp(settings):
    """A server that accepts every message; stopped after the test."""
    yield from serve(Sink(), settings)
