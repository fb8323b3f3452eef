"""The embedded mailer writes one readable .eml file per message."""

import email
from email import policy

from django.core import mail
from django.test import override_settings


def test_embedded_mailer_writes_an_eml_file_per_message(tmp_path):
    mailers = {"default": {"BACKEND": "portal.mail.EmlFileBackend", "OPTIONS": {"file_path": str(tmp_path)}}}
    with override_settings(MAILERS=mailers):
        sent = mail.send_mail("Báo cáo tháng 9/2021", "Tỷ lệ khám phá: 92,4%", None, ["bcd138@thainguyen.gov.vn"])
    assert sent == 1
    files = list(tmp_path.glob("*.eml"))
    assert len(files) == 1
    message = email.message_from_bytes(files[0].read_bytes(), policy=policy.default)
    assert message["Subject"] == "Báo cáo tháng 9/2021"
    assert message["To"] == "bcd138@thainguyen.gov.vn"
    assert message.get_content().strip() == "Tỷ lệ khám phá: 92,4%"
