"""Django's, DRF's and django-filter's messages a user can see come out in Vietnamese (portal/vendor_messages.py)."""

import inspect

import django_filters.fields
import pytest
from django import forms
from django.core import paginator, validators
from django.db.models import fields as model_fields
from django.forms import models as model_forms
from django.urls import reverse
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext
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
