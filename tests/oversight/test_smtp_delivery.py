"""Recommendation mail through a real SMTP server (aiosmtpd on loopback): one message per event and
recipient reaches the server, and a retried notification sends nothing more."""

from datetime import date

import pytest
from django.utils import timezone

from portal.accounts.models import User
from portal.oversight.notifications import recommendation_notify
from portal.oversight.services import recommendation_answer, recommendation_raise
from tests.smtp_sink import smtp  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db
R = User.Role


def test_raise_and_answer_reach_the_smtp_server_once_each(tree, make_user, smtp, monkeypatch):  # noqa: F811
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: date(2026, 3, 20))
    make_user(R.LEADER, tree.root, email="lanhdao@bcd138.gov.vn")
    make_user(R.LEADER, tree.root, email="phodao@bcd138.gov.vn")
    tn_leader = make_user(R.LEADER, tree.thai_nguyen, email="lanhdao@thainguyen.gov.vn")
    national = make_user(R.LEADER, tree.root, email="")  # no address: not mailed
    rec = recommendation_raise(
        actor=tn_leader,
        raising_unit=tree.thai_nguyen,
        addressed_to=tree.root,
        title="Bổ sung biên chế",
        text="Đề nghị bổ sung biên chế cho Công an xã.",
        raised_on=date(2026, 3, 1),
    )
    assert recommendation_notify("arrived", rec.pk, unit_id=tree.root.pk) == 2
    assert sorted(to for tos, _ in smtp.messages for to in tos) == ["lanhdao@bcd138.gov.vn", "phodao@bcd138.gov.vn"]
    assert all("Bổ sung biên chế" in message["Subject"] for _, message in smtp.messages)

    recommendation_answer(actor=national, recommendation=rec, version=rec.version, answer="Đã giao Bộ Công an.")
    assert recommendation_notify("answered", rec.pk) == 1
    tos, answered = smtp.messages[-1]
    assert tos == ["lanhdao@thainguyen.gov.vn"]
    assert "Đã giao Bộ Công an." in answered.get_body(preferencelist=("plain",)).get_content()

    # The same events again, as a retried task would: the server receives nothing more.
    assert recommendation_notify("arrived", rec.pk, unit_id=tree.root.pk) == 0
    assert recommendation_notify("answered", rec.pk) == 0
    assert len(smtp.messages) == 3
