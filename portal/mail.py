"""The embedded e-mail backend: one .eml file per message in a folder (var/mail/ by default)."""

import uuid
from pathlib import Path

from django.core.mail.backends.base import BaseEmailBackend
from django.utils import timezone


class EmlFileBackend(BaseEmailBackend):
    """Write each message as an RFC 5322 .eml file, readable by any mail client."""

    def __init__(self, *, file_path: str, **kwargs) -> None:
        super().__init__(**kwargs)
        self.directory = Path(file_path)

    def send_messages(self, email_messages) -> int:
        self.directory.mkdir(parents=True, exist_ok=True)
        sent = 0
        for message in email_messages:
            stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
            path = self.directory / f"{stamp}-{uuid.uuid4().hex[:12]}.eml"
            path.write_bytes(message.message().as_bytes())
            sent += 1
        return sent
