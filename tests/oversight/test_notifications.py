"""Mail about recommendations and the weekly digest: exactly one mail per event and recipient, never twice."""

from datetime import date

import pytest
from django.core import mail
from django.test import override_settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from portal.accounts.models import User
from portal.celery import app
from portal.notifications.services import unread_forget_now
from portal.oversight.models import Directive, Inspection, Notification
from portal.oversight.notifications import oversight_digest_send, recommendation_notify
from portal.oversight.services import (
    RecommendationError,
    recommendation_answer,
    recommendation_decline,
    recommendation_forward,
    recommendation_raise,
)
from portal.oversight.tasks import oversight_digest_task
from portal.reports import cache as stats_cache

pytestmark = pytest.mark.django_db

TODAY = date(2026, 3, 20)  # a Friday
R = User.Role
LOCMEM = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}


@pytest.fixture(autouse=True)
def frozen_clock(monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: TODAY)


@pytest.fixture(autouse=True)
def mailer(settings):
    settings.MAILERS = LOCMEM
    settings.PORTAL_BASE_URL = "https://bcd138.example.vn/"


@pytest.fixture(autouse=True)
def eager_celery():
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = False


@pytest.fixture
def people(tree, make_user):
    class People:
        national_leader = make_user(R.LEADER, tree.root, username="lanhdao.tw", email="lanhdao@bcd138.gov.vn")
        national_deputy = make_user(R.LEADER, tree.root, username="phodao.tw", email="phodao@bcd138.gov.vn")
        national_standing = make_user(R.STANDING_OFFICER, tree.root, username="tt.tw", email="tt@bcd138.gov.vn")
        national_viewer = make_user(R.VIEWER, tree.root, username="xem.tw", email="xem@bcd138.gov.vn")
        tn_leader = make_user(R.LEADER, tree.thai_nguyen, username="lanhdao.tn", email="lanhdao@thainguyen.gov.vn")
        tn_standing = make_user(R.STANDING_OFFICER, tree.thai_nguyen, username="tt.tn", email="tt@thainguyen.gov.vn")
        # Phổ Yên has no leader: its standing officer is told instead.
        py_standing = make_user(R.STANDING_OFFICER, tree.pho_yen, username="tt.py", email="tt@phoyen.gov.vn")

    return People


def raise_tn(tree, people, **kwargs):
    defaults = {
        "actor": people.tn_standing,
        "raising_unit": tree.thai_nguyen,
        "addressed_to": tree.root,
        "title": "Bổ sung biên chế",
        "text": "Đề nghị bổ sung biên chế cho Công an xã.",
        "raised_on": date(2026, 3, 1),
    }
    return recommendation_raise(**{**defaults, **kwargs})


def to(messages) -> list[str]:
    return sorted(m.to[0] for m in messages)


def test_arrival_mails_each_leader_of_the_addressee_once(tree, people, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        rec = raise_tn(tree, people)
    # One task queued, besides the renewals of the statistics cache and of the bell's count.
    tasks = [
        c
        for c in callbacks
        if c is not stats_cache.renew_after_commit and getattr(c, "func", None) is not unread_forget_now
    ]
    assert len(tasks) == 1
    assert to(mail.outbox) == ["lanhdao@bcd138.gov.vn", "phodao@bcd138.gov.vn"]  # leaders, not the others
    message = mail.outbox[0]
    assert "Bổ sung biên chế" in message.subject and "31/03/2026" in message.subject
    assert message.body.startswith("Kính gửi đồng chí")  # Vietnamese by default
    assert "Tỉnh Thái Nguyên" in message.body
    assert f"https://bcd138.example.vn/oversight/recommendations/{rec.pk}/" in message.body
    assert f"/recommendations/{rec.pk}/" in message.alternatives[0].content
    keys = set(Notification.objects.values_list("key", flat=True))
    assert keys == {f"rec-{rec.pk}-to-{tree.root.pk}"}
    assert not Notification.objects.filter(sent_at=None).exists()
    # Run again (a redelivered task): nothing new.
    assert recommendation_notify("arrived", rec.pk, unit_id=tree.root.pk) == 0
    assert len(mail.outbox) == 2


def test_a_unit_without_leader_is_told_through_its_standing_officers(tree, people, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        rec = raise_tn(tree, people, actor=people.tn_leader, raising_unit=tree.pho_yen, addressed_to=tree.thai_nguyen)
    assert to(mail.outbox) == ["lanhdao@thainguyen.gov.vn"]
    with django_capture_on_commit_callbacks(execute=True):
        recommendation_answer(actor=people.tn_leader, recommendation=rec, version=1, answer="Đồng ý")
    assert to(mail.outbox[1:]) == ["tt@phoyen.gov.vn"]


def test_each_step_is_mailed_once_raise_forward_answer(tree, people, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        rec = raise_tn(tree, people, actor=people.tn_leader, raising_unit=tree.pho_yen, addressed_to=tree.thai_nguyen)
    with django_capture_on_commit_callbacks(execute=True):
        rec = recommendation_forward(actor=people.tn_leader, recommendation=rec, version=1, to_unit=tree.root)
    assert to(mail.outbox[1:]) == ["lanhdao@bcd138.gov.vn", "phodao@bcd138.gov.vn"]
    with django_capture_on_commit_callbacks(execute=True):
        recommendation_answer(
            actor=people.national_leader, recommendation=rec, version=rec.version, answer="Đã giao Bộ Công an."
        )
    assert to(mail.outbox[3:]) == ["tt@phoyen.gov.vn"]
    answered = mail.outbox[3]
    assert "Đã giao Bộ Công an." in answered.body and "Việt Nam" in answered.body
    assert len(mail.outbox) == 4
    assert Notification.objects.count() == 4
    # Every event again (the tasks retried): nothing more.
    assert recommendation_notify("arrived", rec.pk, unit_id=tree.thai_nguyen.pk) == 0
    assert recommendation_notify("arrived", rec.pk, unit_id=tree.root.pk) == 0
    assert recommendation_notify("answered", rec.pk) == 0
    assert len(mail.outbox) == 4


def test_a_declined_recommendation_says_so(tree, people, django_capture_on_commit_callbacks):
    rec = raise_tn(tree, people)
    with django_capture_on_commit_callbacks(execute=True):
        recommendation_decline(actor=people.national_leader, recommendation=rec, version=1, reason="Chưa đủ căn cứ.")
    assert to(mail.outbox) == ["lanhdao@thainguyen.gov.vn"]
    with translation.override("vi"):
        assert mail.outbox[0].subject == _("Recommendation declined: %(title)s") % {"title": "Bổ sung biên chế"}
    assert "Chưa đủ căn cứ." in mail.outbox[0].body


def test_no_mail_when_the_write_is_rolled_back(tree, people, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(RecommendationError):
        raise_tn(tree, people, addressed_to=tree.ha_noi)
    assert callbacks == [] and mail.outbox == []


def test_a_failed_send_is_retried_and_then_sent_once(tree, people, monkeypatch):
    rec = raise_tn(tree, people)  # no commit callbacks here: the mails are sent by hand below

    def broken_send(self, *args, **kwargs):
        raise OSError("SMTP server unreachable")

    monkeypatch.setattr("django.core.mail.backends.locmem.EmailBackend.send_messages", broken_send)
    with pytest.raises(OSError):
        recommendation_notify("arrived", rec.pk, unit_id=tree.root.pk)
    assert Notification.objects.filter(sent_at__isnull=False).count() == 0
    monkeypatch.undo()  # the mail server is back
    assert recommendation_notify("arrived", rec.pk, unit_id=tree.root.pk) == 2
    assert recommendation_notify("arrived", rec.pk, unit_id=tree.root.pk) == 0
    assert len(mail.outbox) == 2


def test_the_mail_reaches_the_configured_mailer_as_a_file(tree, people, tmp_path):
    rec = raise_tn(tree, people)
    mailers = {"default": {"BACKEND": "portal.mail.EmlFileBackend", "OPTIONS": {"file_path": str(tmp_path)}}}
    with override_settings(MAILERS=mailers):
        assert recommendation_notify("arrived", rec.pk, unit_id=tree.root.pk) == 2
    assert len(list(tmp_path.glob("*.eml"))) == 2


# --- The weekly digest -----------------------------------------------------------------------------


def overdue_directive(tree, unit, text="Rà soát địa bàn trọng điểm"):
    inspection = Inspection.objects.create(
        inspecting_body="Đoàn kiểm tra của Chính phủ",
        inspecting_unit=tree.root,
        unit_path=tree.root.path,
        starts_on=date(2026, 1, 10),
        ends_on=date(2026, 1, 12),
        topics=["crime_prevention"],
    )
    return Directive.objects.create(
        inspection=inspection, text=text, responsible_unit=unit, unit_path=unit.path, due_on=date(2026, 3, 1)
    )


def test_weekly_digest_one_mail_per_recipient_once_a_week(tree, people):
    overdue = raise_tn(tree, people, title="Kiến nghị quá hạn", raised_on=date(2026, 2, 1))  # due 03/03
    raise_tn(tree, people, title="Kiến nghị còn hạn")  # due 31/03: not listed
    overdue_directive(tree, tree.thai_nguyen)
    done = overdue_directive(tree, tree.ha_noi, text="Đã xong")
    Directive.objects.filter(pk=done.pk).update(status=Directive.Status.DONE)

    assert oversight_digest_send(today=TODAY) == 3
    # The two national leaders must answer it; Thái Nguyên's leader waits for it and has a directive due.
    assert to(mail.outbox) == ["lanhdao@bcd138.gov.vn", "lanhdao@thainguyen.gov.vn", "phodao@bcd138.gov.vn"]
    tn_mail = next(m for m in mail.outbox if m.to == ["lanhdao@thainguyen.gov.vn"])
    assert "Kiến nghị quá hạn" in tn_mail.body and "Rà soát địa bàn trọng điểm" in tn_mail.body
    assert "Kiến nghị còn hạn" not in tn_mail.body and "Đã xong" not in tn_mail.body
    assert "03/03/2026" in tn_mail.body and "2" in tn_mail.subject
    # The link opens the overdue recommendations page (it pointed at the JSON API before).
    assert "/oversight/recommendations/?overdue=true" in tn_mail.body and "/api/" not in tn_mail.body
    assert Notification.objects.filter(key="digest-2026-W12").count() == 3

    # Beat fires again the same week (another day too): nothing new.
    assert oversight_digest_send(today=TODAY) == 0
    assert oversight_digest_send(today=date(2026, 3, 22)) == 0
    assert len(mail.outbox) == 3
    # Next week it is sent again, while still overdue.
    assert oversight_digest_send(today=date(2026, 3, 23)) == 3
    assert len(mail.outbox) == 6
    assert overdue.pk


def test_weekly_digest_leaves_one_notice_a_week_and_mails_as_each_chose(tree, people, make_user):
    from portal.notifications.models import Notice
    from portal.notifications.services import preferences_save

    raise_tn(tree, people, title="Kiến nghị quá hạn", raised_on=date(2026, 2, 1))  # due 03/03
    overdue_directive(tree, tree.thai_nguyen)
    no_address = make_user(R.LEADER, tree.root, username="phodao2.tw", email="")
    preferences_save(user=people.national_deputy, channels={"oversight_digest": "in_app"})
    preferences_save(user=people.national_leader, channels={"oversight_digest": "mail"})

    assert oversight_digest_send(today=TODAY) == 2  # Thái Nguyên's leader, and the national leader (mail only)
    assert to(mail.outbox) == ["lanhdao@bcd138.gov.vn", "lanhdao@thainguyen.gov.vn"]
    notices = {n.recipient.username: n for n in Notice.objects.select_related("recipient")}
    assert set(notices) == {"phodao.tw", "phodao2.tw", "lanhdao.tn"}  # no address: told in the portal all the same
    tn = notices["lanhdao.tn"]
    assert (tn.kind, tn.key, tn.url) == (
        "oversight_digest",
        "digest-2026-W12",
        "/oversight/recommendations/?overdue=true",
    )
    assert tn.title == "Kiểm tra, giám sát: 2 nội dung quá hạn cần xử lý"
    assert tn.body == "kiến nghị của đơn vị đang chờ trả lời: 1; yêu cầu cần thực hiện: 1"
    assert notices["phodao2.tw"].body == "kiến nghị cần trả lời: 1" and no_address.pk

    # The same week again: no second notice, no second mail; the next week, both again.
    assert oversight_digest_send(today=date(2026, 3, 22)) == 0
    assert Notice.objects.count() == 3 and len(mail.outbox) == 2
    assert oversight_digest_send(today=date(2026, 3, 23)) == 2
    assert Notice.objects.count() == 6


def test_nothing_overdue_nothing_sent(tree, people):
    raise_tn(tree, people)
    assert oversight_digest_send(today=TODAY) == 0
    assert mail.outbox == [] and not Notification.objects.exists()


def test_the_beat_task_is_named_as_scheduled_and_safe_to_run_twice(tree, people, settings):
    schedule = settings.CELERY_BEAT_SCHEDULE["oversight-weekly-digest"]
    assert oversight_digest_task.name == schedule["task"] == "portal.oversight.tasks.oversight_digest_task"
    raise_tn(tree, people, raised_on=date(2026, 2, 1))
    assert oversight_digest_task.delay(TODAY.isoformat()).get() == 3
    assert oversight_digest_task.delay(TODAY.isoformat()).get() == 0
    assert oversight_digest_task() == 0  # today from the clock: the same week
    assert len(mail.outbox) == 3


def test_an_arrival_and_its_answer_leave_notices_linking_to_the_recommendation(
    tree, people, django_capture_on_commit_callbacks
):
    from portal.notifications.models import Notice

    with django_capture_on_commit_callbacks(execute=True):
        rec = raise_tn(tree, people, actor=people.tn_leader, raising_unit=tree.pho_yen, addressed_to=tree.thai_nguyen)
    notice = Notice.objects.get(recipient=people.tn_leader)
    assert notice.kind == "recommendation_received" and notice.title == "Kiến nghị cần trả lời: Bổ sung biên chế"
    assert notice.url == f"/oversight/recommendations/{rec.pk}/" and "31/03/2026" in notice.body
    with django_capture_on_commit_callbacks(execute=True):
        recommendation_answer(actor=people.tn_leader, recommendation=rec, version=1, answer="Đồng ý")
    answered = Notice.objects.get(kind="recommendation_answered")
    assert answered.title == "Kiến nghị đã được trả lời: Bổ sung biên chế"
    # The mails' safety net runs again: no notice twice.
    recommendation_notify("arrived", rec.pk, unit_id=tree.thai_nguyen.pk)
    recommendation_notify("answered", rec.pk)
    assert Notice.objects.count() == 2


def test_in_app_only_leaders_are_not_mailed_and_mail_only_leaders_get_no_notice(
    tree, people, django_capture_on_commit_callbacks
):
    from portal.notifications.models import Notice
    from portal.notifications.services import preferences_save

    preferences_save(user=people.national_leader, channels={"recommendation_received": "in_app"})
    preferences_save(user=people.national_deputy, channels={"recommendation_received": "mail"})
    with django_capture_on_commit_callbacks(execute=True):
        raise_tn(tree, people)
    assert to(mail.outbox) == ["phodao@bcd138.gov.vn"]
    assert list(Notice.objects.values_list("recipient", flat=True)) == [people.national_leader.pk]


def test_a_leader_without_an_email_is_told_in_the_portal(tree, people, django_capture_on_commit_callbacks):
    from portal.notifications.models import Notice

    User.objects.filter(pk=people.national_deputy.pk).update(email="")
    with django_capture_on_commit_callbacks(execute=True):
        raise_tn(tree, people)
    assert to(mail.outbox) == ["lanhdao@bcd138.gov.vn"]
    assert set(Notice.objects.values_list("recipient", flat=True)) == {
        people.national_leader.pk,
        people.national_deputy.pk,
    }
