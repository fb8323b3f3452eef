"""The portal in English: the main pages carry no Vietnamese interface text (data such as names stays as entered)."""

import re
from html import unescape

import polib
import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from portal.accounts.models import User
from tests.api.matrix import Ctx
from tests.factories import UserFactory
from tests.test_page_matrix import PAGES

pytestmark = pytest.mark.django_db
R = User.Role
PO = settings.BASE_DIR / "locale" / "vi" / "LC_MESSAGES" / "django.po"
VIETNAMESE = re.compile(r"[àáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ]", re.I)
# Kept Vietnamese on purpose: the committees' own narrative sentence (portal/reports/narrative.py) and the
# fixed formulas of an official document's header, issuing body included (portal/reports/document_sections.py).
INTENDED = re.compile(
    r'<(\w+)[^>]*(?:data-testid="narrative"|class="(?:number|motto-state|motto-words|place-date|issuing-body|parent-body)")[^>]*>.*?</\1>',
    re.S,
)
MAIN_PAGES = {
    "dashboard",
    "cases:list",
    "cases:detail",
    "cases:create",
    "cases:edit",
    "campaigns:campaign-list",
    "campaigns:campaign-detail",
    "campaigns:hotspot-list",
    "campaigns:hotspot-detail",
    "campaigns:program-list",
    "campaigns:program-detail",
    "campaigns:model-list",
    "oversight:list",
    "oversight:recommendation-detail",
    "campaigns:model-detail",
    "oversight:inspection-list",
    "oversight:inspection-detail",
    "oversight:recommendation-list",
    "reports:document",
    "reports:subscriptions",
}


def vietnamese_phrases() -> list[str]:
    """The catalogue's Vietnamese of three words or more: interface text that no data field would repeat."""
    phrases = set()
    for entry in polib.pofile(str(PO)).translated_entries():
        source = " ".join(f"{entry.msgid} {entry.msgid_plural}".split())
        for text in [entry.msgstr, *entry.msgstr_plural.values()]:
            for part in re.split(r"%\(\w+\)[sd]|\{\w+\}|[.:;!?()«»“”\"]", text):
                part = " ".join(part.split())
                # A Vietnamese name the English source quotes as well (an example) is not a translation.
                if len(part.split()) >= 3 and VIETNAMESE.search(part) and part not in source:
                    phrases.add(part)
    return sorted(phrases, key=len, reverse=True)


def visible_text(html: str) -> str:
    html = INTENDED.sub(" ", html)
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    # Attributes a person reads count too; the rest of the markup does not.
    shown = re.findall(r'(?:title|placeholder|aria-label|alt)="([^"]*)"', html)
    text = re.sub(r"<[^>]+>", " ", html)
    return " ".join(unescape(" ".join([text, *shown])).split())


def test_the_phrases_searched_for_are_the_catalogues_vietnamese():
    phrases = vietnamese_phrases()
    assert len(phrases) > 500
    assert "Cần nhập một số nguyên hợp lệ" in phrases  # a msgstr, cut at its full stop


def test_log_in_page_in_english_has_no_vietnamese_interface_text(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    text = visible_text(client.get(reverse("accounts:login")).content.decode())
    assert not [p for p in vietnamese_phrases() if p in text]


@pytest.mark.parametrize("page", [p for p in PAGES if p.name in MAIN_PAGES and p.method == "GET"], ids=lambda p: p.name)
def test_main_page_in_english_has_no_vietnamese_interface_text(tree, roles, page):
    actor = UserFactory(role=R.ADMIN, unit=tree.thai_nguyen)
    ctx = Ctx(tree, actor, UserFactory(role=R.ADMIN, unit=tree.ha_noi))
    kwargs, query = page.target(ctx, True)
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(actor)
    response = client.get(reverse(page.name, kwargs=kwargs), query or {})
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="en"' in html
    text = visible_text(html)
    found = [p for p in vietnamese_phrases() if p in text]
    assert not found, f"Vietnamese interface text on the English {page.name}: {found[:10]}"
