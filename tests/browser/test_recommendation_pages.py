"""A recommendation's way in chromium: raised by Thái Nguyên's committee to the central committee, seen on the
national dashboard, answered there (and only there), the answer read in Thái Nguyên — each step mailed once,
through a real SMTP server on loopback."""

import pytest
from playwright.sync_api import Browser, Page, expect

from portal.accounts.models import User
from portal.celery import app
from portal.oversight.models import Recommendation
from tests.browser.test_cases import log_in
from tests.smtp_sink import smtp  # noqa: F401 (a fixture)

R = User.Role
TITLE = "Đề nghị bổ sung kinh phí phòng, chống mua bán người"


@pytest.fixture(autouse=True)
def eager_celery():
    # The mail task runs in the live server's thread as the save commits, as a worker would run it just after.
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = False


@pytest.fixture
def people(tree, make_user):
    class People:
        tn_standing = make_user(
            R.STANDING_OFFICER, tree.thai_nguyen, full_name="Nguyễn Thị Thường Trực", email="tt@thainguyen.gov.vn"
        )
        tn_leader = make_user(R.LEADER, tree.thai_nguyen, full_name="Lê Văn Tỉnh", email="lanhdao@thainguyen.gov.vn")
        national_leader = make_user(R.LEADER, tree.root, full_name="Trần Văn Trung Ương", email="lanhdao@bcd138.gov.vn")

    return People


def test_raised_in_thai_nguyen_answered_by_the_centre_each_step_mailed_once(
    page: Page,
    browser: Browser,
    browser_context_args: dict,
    live_server,
    tree,
    people,
    smtp,  # noqa: F811
):
    # Thái Nguyên's standing officer raises it from the oversight pages.
    log_in(page, live_server.url, people.tn_standing)
    page.goto(live_server.url + "/oversight/")
    page.get_by_test_id("new-recommendation").click()
    form = page.get_by_test_id("recommendation-form")
    expect(form.locator("input[name=raising_unit]")).to_have_value(tree.thai_nguyen.code)
    expect(form.locator("select[name=addressed_to]")).to_have_value(str(tree.root.pk))  # the centre by default
    form.locator("input[name=title]").fill(TITLE)
    form.locator("textarea[name=text]").fill("Hỗ trợ các xã biên giới tổ chức tuyên truyền.")
    form.get_by_test_id("send-recommendation").click()
    expect(page.get_by_test_id("recommendation-title")).to_have_text(TITLE)
    expect(page.get_by_test_id("recommendation-status")).to_contain_text("Đã gửi")
    expect(page.get_by_test_id("waiting")).to_be_visible()  # Thái Nguyên cannot answer its own
    expect(page.get_by_test_id("answer-form")).to_have_count(0)
    rec = Recommendation.objects.get()
    assert smtp.recipients() == ["lanhdao@bcd138.gov.vn"]  # the centre's leader, once

    # The national leader finds it on the dashboard and answers it.
    national = browser.new_context(**browser_context_args).new_page()
    log_in(national, live_server.url, people.national_leader)
    national.goto(live_server.url + "/")
    awaiting = national.get_by_test_id("awaiting-row").filter(has_text=TITLE)
    expect(awaiting).to_have_count(1)
    awaiting.get_by_role("link", name=TITLE).click()
    expect(national.get_by_test_id("recommendation-title")).to_have_text(TITLE)
    answer = national.get_by_test_id("answer-form")
    answer.locator("textarea[name=answer]").fill("Đồng ý; giao Bộ Công an hướng dẫn kinh phí năm 2027.")
    answer.get_by_test_id("send-answer").click()
    expect(national.get_by_test_id("recommendation-status")).to_contain_text("Đã trả lời")
    expect(national.get_by_test_id("answer-form")).to_have_count(0)
    expect(national.locator(".alert-success")).to_be_visible()

    # Thái Nguyên reads the answer on the recommendation's page.
    page.goto(live_server.url + f"/oversight/recommendations/{rec.pk}/")
    expect(page.get_by_test_id("answer-text")).to_have_text("Đồng ý; giao Bộ Công an hướng dẫn kinh phí năm 2027.")
    expect(page.get_by_test_id("answer")).to_contain_text("Trần Văn Trung Ương")
    expect(page.get_by_test_id("timeline-step")).to_have_count(2)

    # Raised once → the centre's leader; answered once → Thái Nguyên's leader.
    assert smtp.recipients() == ["lanhdao@bcd138.gov.vn", "lanhdao@thainguyen.gov.vn"]
    answered = smtp.messages[-1][1]
    assert "Đồng ý; giao Bộ Công an" in answered.get_body(preferencelist=("plain",)).get_content()
    national.context.close()
