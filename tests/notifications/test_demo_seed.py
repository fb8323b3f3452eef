"""The demo notices: the demo leader's bell is not empty, and seeding again adds nothing."""

import pytest

from portal.accounts.models import User
from portal.notifications.demo_seed import seed
from portal.notifications.models import Notice

pytestmark = pytest.mark.django_db


def test_the_demo_leader_gets_a_notice_once(tree, make_user):
    leader = make_user(User.Role.LEADER, tree.thai_nguyen, username="tn.lanhdao", email="lanhdao@thainguyen.gov.vn")
    seed()
    seed()
    (notice,) = Notice.objects.filter(recipient=leader)
    assert notice.title == "Báo cáo 9 tháng năm 2021 — Tỉnh Thái Nguyên đã gửi đến lanhdao@thainguyen.gov.vn"
