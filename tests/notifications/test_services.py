"""Notices and channel preferences: the choice honoured both ways, one notice per key, only one's own marked."""

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404

from portal.accounts.models import User
from portal.notifications.models import Channel, Kind, Notice
from portal.notifications.selectors import notice_list, preferences_of, unread_count
from portal.notifications.services import (
    notice_create,
    notice_mark_read,
    notices_mark_all_read,
    notify_work_finished,
    preferences_save,
    wants_mail,
)

pytestmark = pytest.mark.django_db
R = User.Role


@pytest.fixture
def officer(tree, make_user):
    return make_user(R.INVESTIGATOR, tree.thai_nguyen, username="an.dt")


def create(user, key="k1", kind=Kind.DEADLINES, **kwargs):
    return notice_create(recipient=user, kind=kind, title=kwargs.pop("title", "Vụ án sắp đến hạn"), key=key, **kwargs)


def test_by_default_a_kind_is_both_mailed_and_shown(officer):
    assert wants_mail(officer, Kind.DEADLINES) is True
    assert create(officer) is not None
    assert preferences_of(user=officer)[Kind.RECOMMENDATION_RECEIVED] == Channel.BOTH


def test_mail_only_creates_no_notice_and_in_app_only_mails_nothing(officer):
    preferences_save(user=officer, channels={Kind.DEADLINES: Channel.MAIL, Kind.RECOMMENDATION_RECEIVED: "in_app"})
    assert create(officer) is None
    assert not Notice.objects.exists()
    assert wants_mail(officer, Kind.DEADLINES) is True
    assert wants_mail(officer, Kind.RECOMMENDATION_RECEIVED) is False
    assert create(officer, key="rec-1", kind=Kind.RECOMMENDATION_RECEIVED) is not None


def test_a_key_makes_one_notice_however_often_the_task_runs(officer, tree, make_user):
    first = create(officer, key="deadlines-2026-03-20")
    assert create(officer, key="deadlines-2026-03-20", title="lần hai") is None
    assert list(Notice.objects.values_list("pk", flat=True)) == [first.pk]
    other = make_user(R.INVESTIGATOR, tree.thai_nguyen)
    assert create(other, key="deadlines-2026-03-20") is not None  # the key is per recipient


def test_a_notice_links_only_inside_the_portal(officer):
    for url in ("https://evil.example/", "//evil.example/x", "javascript:alert(1)"):
        with pytest.raises(ValueError):
            create(officer, url=url)
    assert create(officer, url="/cases/?deadline=overdue").url == "/cases/?deadline=overdue"


def test_in_app_only_kinds_refuse_mail_and_other_channels(officer):
    assert wants_mail(officer, Kind.IMPORT_FINISHED) is False
    with pytest.raises(ValidationError):
        preferences_save(user=officer, channels={Kind.IMPORT_FINISHED: Channel.MAIL})
    with pytest.raises(ValidationError):
        preferences_save(user=officer, channels={Kind.REPORT_DELIVERED: Channel.IN_APP})


def test_marking_read_only_ones_own_and_the_count_follows(officer, tree, make_user):
    mine = create(officer)
    create(officer, key="k2")
    stranger = make_user(R.ADMIN, tree.root)
    theirs = create(stranger, key="k3")
    assert unread_count(user=officer) == 2
    with pytest.raises(Http404):
        notice_mark_read(notice=theirs, actor=officer)  # even an admin's notice is not an officer's to mark
    with pytest.raises(Http404):
        notice_mark_read(notice=mine, actor=stranger)
    notice_mark_read(notice=mine, actor=officer)
    assert unread_count(user=officer) == 1  # the cached count was dropped
    assert notices_mark_all_read(actor=officer) == 1
    assert unread_count(user=officer) == 0
    assert unread_count(user=stranger) == 1
    assert set(notice_list(user=officer).values_list("recipient", flat=True)) == {officer.pk}


def test_a_long_title_is_shortened_not_refused(officer):
    notice = create(officer, title="Kiến nghị " * 60)
    assert len(notice.title) <= 255 and notice.title.endswith("…")


def test_work_finished_is_in_app_with_a_vietnamese_text(officer):
    notice = notify_work_finished(recipient=officer, title="Xuất danh sách vụ án", url="/cases/", ok=True, key="x1")
    assert notice.kind == Kind.WORK_FINISHED and notice.body.startswith("Đã xong")
    failed = notify_work_finished(recipient=officer, title="Báo cáo quý", url="/reports/", ok=False, key="x2")
    assert "lỗi" in failed.body.lower()
