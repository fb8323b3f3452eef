"""Django's, DRF's and django-filter's messages a user can see come out in Vietnamese (portal/vendor_messages.py)."""

import inspect
from pathlib import Path

import django
import django_filters.fields
import polib
import pytest
import simple_history
from django import forms
from django.core import paginator, validators
from django.db.models import fields as model_fields
from django.forms import models as model_forms
from django.urls import reverse
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext, trans_real
from rest_framework import exceptions, fields, pagination, relations, serializers
from rest_framework import validators as drf_validators
from rest_framework.test import APIClient

from portal import vendor_messages
from portal.accounts.models import User


def messages_of(module, attribute: str) -> dict[str, str]:
    """{English message: where it is} for every class of the module that defines the attribute itself."""
    found = {}
    for name, cls in vars(module).items():
        if not inspect.isclass(cls) or attribute not in vars(cls):
            continue
        value = vars(cls)[attribute]
        items = value.items() if isinstance(value, dict) else [("", value)]
        for key, message in items:
            if isinstance(message, str | Promise):
                with translation.override("en"):
                    text = str(message)
                if text:
                    found[text] = f"{module.__name__}.{name}.{attribute}{f'[{key}]' if key else ''}"
    return found


def visible_messages() -> dict[str, str]:
    found = {}
    for module in (fields, relations, serializers, forms.fields, model_forms, model_fields, django_filters.fields):
        found |= messages_of(module, "default_error_messages")
    found |= messages_of(exceptions, "default_detail")
    found |= messages_of(exceptions, "extra_detail_singular")
    found |= messages_of(exceptions, "extra_detail_plural")
    found |= messages_of(pagination, "invalid_page_message")
    found |= messages_of(drf_validators, "message")
    found |= messages_of(validators, "message")
    # Raised from inside functions, so no class attribute lists them.
    inline = [m for m in vendor_messages.DRF if "header" in m or m in {"Invalid token.", "Invalid username/password."}]
    found |= dict.fromkeys(inline, "rest_framework.authentication")
    with translation.override("en"):
        found |= dict.fromkeys(map(str, paginator.Paginator.default_error_messages.values()), "django.core.paginator")
    found |= dict.fromkeys(vendor_messages.DJANGO_FILTER, "django_filters")
    return found


def test_every_library_message_a_user_can_see_is_translated_to_vietnamese():
    messages = visible_messages()
    assert len(messages) > 120  # the walk found the libraries' messages (a rename would empty it)
    with translation.override("vi"):
        untranslated = sorted(f"  {m!r}  — {where}" for m, where in messages.items() if gettext(m) == m)
    assert not untranslated, (
        "Messages without Vietnamese (add them to portal/vendor_messages.py, then to the catalogue):\n"
        + "\n".join(untranslated)
    )


def test_plural_library_messages_are_translated():
    with translation.override("vi"):
        texts = [str(message % {"num": 3}) for message in vendor_messages.DJANGO_PLURALS]
    assert texts[0] == "Vui lòng gửi tối đa 3 biểu mẫu."
    assert all("biểu mẫu" in t or "Mật khẩu" in t for t in texts)


@pytest.mark.django_db
def test_api_errors_of_bad_number_nul_byte_and_missing_log_in_are_vietnamese(tree, make_user):
    client = APIClient(HTTP_ACCEPT_LANGUAGE="vi")
    answer = client.get(reverse("api:case-list"))
    assert answer.status_code == 401
    assert answer.json()["detail"] == "Vui lòng đăng nhập trước."

    client.force_authenticate(make_user(User.Role.STANDING_OFFICER, tree.thai_nguyen))
    answer = client.post(reverse("api:case-list"), {"title": "Trộm\x00cắp", "damage_amount": "nhiều"}, format="json")
    assert answer.status_code == 400
    errors = answer.json()
    assert errors["title"] == ["Không được dùng ký tự rỗng (NUL)."]
    assert errors["damage_amount"] == ["Cần nhập một số nguyên hợp lệ."]
    assert "Trường này là bắt buộc." in errors["category"]

    answer = client.get(reverse("api:case-list"), {"page": "999"})
    assert answer.status_code == 404
    assert answer.json()["detail"] == "Danh sách này không có trang 999."


# The catalogues of what the portal installs that shows words to its users, in a language that lists every msgid
# (English; django-simple-history ships none, so its German): Django's pages, forms and errors (the admin's list
# filters, its delete confirmations, its calendar in JavaScript) and the admin's change-history pages.
DJANGO_DIR = Path(django.__file__).parent
HISTORY_DIR = Path(simple_history.__file__).parent
CATALOGUES = {
    "django": [
        DJANGO_DIR / part / "locale" / "en" / "LC_MESSAGES" / "django.po"
        for part in (
            "conf",
            "contrib/admin",
            "contrib/auth",
            "contrib/contenttypes",
            "contrib/humanize",
            "contrib/sessions",
        )
    ],
    "djangojs": [DJANGO_DIR / "contrib" / "admin" / "locale" / "en" / "LC_MESSAGES" / "djangojs.po"],
    "simple_history": [HISTORY_DIR / "locale" / "de" / "LC_MESSAGES" / "django.po"],
}
# Msgids only these places use, which no user of the portal meets: the names of the languages the portal does
# not offer (it offers Vietnamese and English), the welcome page of a project without URLs (DEBUG only), and
# django.tasks' states (the portal's background work runs on Celery).
NEVER_SHOWN = ("conf/global_settings.py", "views/templates/default_urlconf.html", "tasks/")


def source_entries(name: str) -> list[tuple[str, polib.POEntry]]:
    found = []
    for path in CATALOGUES[name]:
        where = str(path.relative_to(path.parents[4]))
        for entry in polib.pofile(str(path)):
            places = [file for file, _line in entry.occurrences]
            if entry.obsolete or not entry.msgid or (places and all(p.startswith(NEVER_SHOWN) for p in places)):
                continue
            found.append((where, entry))
    return found


def vietnamese_has(catalog, entry: polib.POEntry) -> bool:
    """Whether the merged Vietnamese catalogue (the library's own, then ours from LOCALE_PATHS) holds the
    entry: a translation may equal its msgid ("IPv4", "…"), so the test looks the key up, not the text."""
    key = f"{entry.msgctxt}\x04{entry.msgid}" if entry.msgctxt else entry.msgid
    return (key, 0) in catalog if entry.msgid_plural else key in catalog


@pytest.mark.parametrize("name", CATALOGUES)
def test_every_word_of_djangos_installed_parts_has_vietnamese(name):
    entries = source_entries(name)
    assert len(entries) > {"django": 250, "djangojs": 60, "simple_history": 15}[name]  # found and read
    if name == "djangojs":  # what the admin's JavaScriptCatalog merges: the admin's catalogue, then LOCALE_PATHS
        catalog = trans_real.DjangoTranslation(
            "vi", domain="djangojs", localedirs=[str(DJANGO_DIR / "contrib" / "admin" / "locale")]
        )._catalog
    else:
        catalog = trans_real.translation("vi")._catalog
    missing = [f"  [{where}] {entry.msgid!r}" for where, entry in entries if not vietnamese_has(catalog, entry)]
    assert not missing, (
        f"{len(missing)} messages of {name} have no Vietnamese; add them to portal/vendor_messages.py and the "
        "catalogue (djangojs: to locale/vi/LC_MESSAGES/djangojs.po, by hand). See docs/i18n.md.\n" + "\n".join(missing)
    )


@pytest.mark.django_db
def test_the_admin_pages_speak_vietnamese(tree, make_user, client):
    client.force_login(make_user(User.Role.ADMIN, tree.thai_nguyen))
    listing = client.get(reverse("admin:audit_auditevent_changelist"), HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    for english in ("Filter by", "Show counts", "Skip to main content", "Toggle theme", "Sidebar"):
        assert english not in listing
    assert "Lọc theo" in listing and "Hiện số lượng" in listing and "Chuyển đến nội dung chính" in listing

    history = client.get(reverse("admin:units_unit_history", args=[tree.pho_yen.pk]), HTTP_ACCEPT_LANGUAGE="vi")
    assert history.status_code == 200
    history_page = history.content.decode()
    assert "Changed by" not in history_page and "Người sửa" in history_page

    script = client.get(reverse("admin:jsi18n"), HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    assert "Ch\\u1ee7 nh\\u1eadt" in script or "Chủ nhật" in script  # the calendar's Sunday
