"""The daily deadline digest: one mail per officer, only when something is due, never twice."""

from datetime import date

import pytest
from django.core import mail

from cases.models import DeadlineDigest
from cases.notifications import deadline_digest_send, officers_to_remind
from cases.services import case_transition
from portal.accounts.models import User
from tests.factories import make_case

pytestmark = pytest.mark.django_db

TODAY = date(2026, 3, 20)


@pytest.fixture
def officers(tree, make_user):
    lead = make_user(User.Role.STANDING_OFFICER, tree.thai_nguyen, username="tt.tn")
    an = make_user(User.Role.INVESTIGATOR, tree.thai_nguyen, username="an.dt", email="an@congan.thainguyen.vn")
    binh = make_user(User.Role.INVESTIGATOR, tree.thai_nguyen, username="binh.dt", email="binh@congan.thainguyen.vn")
    return lead, an, binh


def case_due(lead, tree, officers, received_on, title):
    # Received cases are due 20 days after receipt.
    return make_case(actor=lead, unit=tree.pho_yen, recorded_on=received_on, officers=officers, title=title)


@pytest.fixture
def settings_mail(settings):
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}


def test_one_mail_per_officer_listing_overdue_and_due_soon_cases(tree, officers, settings_mail):
    lead, an, binh = officers
    overdue = case_due(lead, tree, [an], date(2026, 2, 20), "Trộm cắp xe máy tại chợ")  # due 12/3
    soon = case_due(lead, tree, [an], date(2026, 3, 5), "Cướp giật điện thoại")  # due 25/3
    later = case_due(lead, tree, [an], date(2026, 3, 15), "Đánh bạc")  # due 4/4: not yet
    closed = case_due(lead, tree, [binh], date(2026, 2, 1), "Lừa đảo qua mạng")
    case_transition(case=closed, to="not_criminal", on=date(2026, 2, 10), actor=lead, version=closed.version)

    assert officers_to_remind(today=TODAY) == [an.pk]
    assert deadline_digest_send(officer_id=an.pk, today=TODAY) is True
    assert deadline_digest_send(officer_id=binh.pk, today=TODAY) is False

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["an@congan.thainguyen.vn"]
    assert "2" in message.subject
    body = message.body
    assert overdue.reference in body and "12/03/2026" in body
    assert soon.reference in body and "25/03/2026" in body
    assert later.reference not in body
    assert body.index(overdue.reference) < body.index(soon.reference)
    assert f"/cases/{overdue.pk}/" in message.alternatives[0].content


def test_digest_is_sent_once_a_day_even_when_the_task_runs_twice(tree, officers, settings_mail):
    lead, an, _ = officers
    case_due(lead, tree, [an], date(2026, 2, 20), "Trộm cắp tài sản")
    assert deadline_digest_send(officer_id=an.pk, today=TODAY) is True
    assert deadline_digest_send(officer_id=an.pk, today=TODAY) is False
    assert len(mail.outbox) == 1
    assert DeadlineDigest.objects.get(officer=an, on=TODAY).case_count == 1
    # The next day is a new digest.
    assert deadline_digest_send(officer_id=an.pk, today=date(2026, 3, 21)) is True
    assert len(mail.outbox) == 2


def test_failed_send_leaves_no_mark_so_a_retry_sends(tree, officers, settings, monkeypatch):
    lead, an, _ = officers
    case_due(lead, tree, [an], date(2026, 2, 20), "Trộm cắp tài sản")
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}

    def broken_send(self, *args, **kwargs):
        raise OSError("SMTP server unreachable")

    monkeypatch.setattr("django.core.mail.backends.locmem.EmailBackend.send_messages", broken_send)
    with pytest.raises(OSError):
        deadline_digest_send(officer_id=an.pk, today=TODAY)
    assert not DeadlineDigest.objects.exists()
    monkeypatch.undo()
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    assert deadline_digest_send(officer_id=an.pk, today=TODAY) is True


def test_an_inactive_officer_is_not_reminded(tree, officers):
    lead, an, _ = officers
    case_due(lead, tree, [an], date(2026, 2, 20), "Trộm cắp tài sản")
    an.is_active = False
    an.save()
    assert officers_to_remind(today=TODAY) == []


def test_daily_task_fans_out_one_mail_per_officer(tree, officers, settings_mail):
    from cases.tasks import deadline_digest_task
    from portal.celery import app

    app.conf.task_always_eager = True
    try:
        lead, an, binh = officers
        case_due(lead, tree, [an, binh], date(2026, 2, 20), "Trộm cắp tài sản")
        case_due(lead, tree, [an], date(2026, 3, 5), "Cướp giật tài sản")
        assert deadline_digest_task(TODAY.isoformat()) == 2
        assert sorted(m.to[0] for m in mail.outbox) == ["an@congan.thainguyen.vn", "binh@congan.thainguyen.vn"]
        deadline_digest_task(TODAY.isoformat())  # beat fired twice: nothing more is sent
        assert len(mail.outbox) == 2
    finally:
        app.conf.task_always_eager = False


def test_the_digest_leaves_one_notice_a_day_linking_to_the_officers_own_overdue_cases(
    client, tree, officers, settings_mail
):
    from portal.notifications.models import Notice

    lead, an, binh = officers
    stolen = case_due(lead, tree, [an], date(2026, 2, 20), "Trộm cắp xe máy")  # overdue
    case_due(lead, tree, [an], date(2026, 3, 5), "Cướp giật")  # due soon
    case_due(lead, tree, [an], date(2026, 3, 6), "Đánh bạc")  # due soon
    colleagues = case_due(lead, tree, [binh], date(2026, 2, 20), "Lừa đảo qua mạng")  # overdue, not An's
    deadline_digest_send(officer_id=an.pk, today=TODAY)
    deadline_digest_send(officer_id=an.pk, today=TODAY)  # the task run twice
    notice = Notice.objects.get(recipient=an)
    assert notice.title == "3 vụ án cần chú ý: 1 quá hạn, 2 sắp đến hạn"
    assert notice.url == "/cases/?deadline=overdue&assigned=me" and notice.key == "deadlines-2026-03-20"
    assert len(mail.outbox) == 1
    assert "/cases/?assigned=me" in mail.outbox[0].body  # "All your cases": An's, not the unit's

    # Following it, An finds their own overdue case and not a colleague's in the same commune.
    client.force_login(an)
    page = client.get(notice.url).content.decode()
    assert stolen.reference in page and colleagues.reference not in page


def test_in_app_only_officers_get_the_notice_and_no_mail_and_mail_only_no_notice(tree, officers, settings_mail):
    from portal.notifications.models import Notice
    from portal.notifications.services import preferences_save

    lead, an, binh = officers
    case_due(lead, tree, [an, binh], date(2026, 2, 20), "Trộm cắp tài sản")
    preferences_save(user=an, channels={"deadlines": "in_app"})
    preferences_save(user=binh, channels={"deadlines": "mail"})
    assert deadline_digest_send(officer_id=an.pk, today=TODAY) is False
    assert deadline_digest_send(officer_id=binh.pk, today=TODAY) is True
    assert [m.to for m in mail.outbox] == [["binh@congan.thainguyen.vn"]]
    assert list(Notice.objects.values_list("recipient", flat=True)) == [an.pk]


def test_an_officer_without_an_email_is_still_told_in_the_portal(tree, officers, settings_mail):
    from portal.notifications.models import Notice

    lead, _an, _binh = officers
    User.objects.filter(pk=lead.pk).update(email="")
    case_due(lead, tree, [lead], date(2026, 2, 20), "Trộm cắp tài sản")
    assert lead.pk in officers_to_remind(today=TODAY)
    assert deadline_digest_send(officer_id=lead.pk, today=TODAY) is False
    assert Notice.objects.filter(recipient=lead, kind="deadlines").count() == 1 and mail.outbox == []
