"""No visible English left outside translation: template text and attributes, and Python's user-facing literals."""

import ast
import re
from html.parser import HTMLParser
from pathlib import Path

from django.conf import settings

BASE = Path(settings.BASE_DIR)
# Attributes a person reads or hears (screen readers read aria-label and alt; browsers show title, placeholder).
VISIBLE_ATTRIBUTES = {"title", "placeholder", "aria-label", "aria-description", "aria-roledescription", "alt", "label"}
BLOCKS = re.compile(
    r"{%\s*(blocktranslate|blocktrans|comment)\b.*?{%\s*end(?:blocktranslate|blocktrans|comment)\s*%}", re.S
)
TAGS = re.compile(r"{%.*?%}|{{.*?}}|{#.*?#}", re.S)
WORD = re.compile(r"[^\W\d_]{2,}")
ROMAN = re.compile(r"^[IVX]+\.$")

# (template, text): each kept as written, on purpose.
ALLOWED = {
    # Each language is named in itself, so a reader finds theirs whatever the page's language (the two
    # option texts read as one once their {% if %} is taken out).
    ("base.html", "Tiếng Việt English"),
    # File format names.
    ("reports/_chart.html", "PNG"),
    ("reports/_chart.html", "SVG"),
    # The fixed formulas of a Vietnamese official document (Decree 30/2020): number, national motto, place-date.
    ("reports/document.html", "Số: ……/BC-BCĐ138"),
    ("reports/document.html", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
    ("reports/document.html", "Độc lập - Tự do - Hạnh phúc"),
    ("reports/document.html", ", ngày tháng năm"),
}


class VisibleText(HTMLParser):
    """Collects text nodes (outside script and style) and visible attribute values with a word in them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[int, str]] = []
        self.hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in {"script", "style"}:
            self.hidden += 1
        for name, value in attrs:
            if name in VISIBLE_ATTRIBUTES and value:
                self.keep(value)

    def handle_endtag(self, tag):
        if tag in {"script", "style"}:
            self.hidden = max(0, self.hidden - 1)

    def handle_data(self, data):
        if not self.hidden:
            self.keep(data)

    def keep(self, text: str) -> None:
        text = " ".join(text.split())
        if WORD.search(text) and not ROMAN.match(text):
            self.found.append((self.getpos()[0], text))


def blank(match: re.Match) -> str:
    # Keep the line count so the reported line numbers are the template's own.
    return "\n" * match.group(0).count("\n") + " "


def unwrapped_text(path: Path) -> list[tuple[int, str]]:
    source = TAGS.sub(blank, BLOCKS.sub(blank, path.read_text(encoding="utf-8")))
    parser = VisibleText()
    parser.feed(source)
    return parser.found


def test_templates_have_no_visible_text_outside_translate_tags():
    root = BASE / "templates"
    found = []
    for path in sorted([*root.rglob("*.html"), *root.rglob("*.txt")]):  # pages, PDF, mail (HTML and text)
        name = path.relative_to(root).as_posix()
        found += [
            f"  templates/{name}:{line}: {text!r}" for line, text in unwrapped_text(path) if (name, text) not in ALLOWED
        ]
    assert not found, (
        "Visible text outside {% translate %}/{% blocktranslate %} (wrap it, add the Vietnamese to the catalogue, "
        "or allow it in tests/test_unwrapped_text.py with a reason):\n" + "\n".join(found)
    )


def test_the_template_check_finds_text_and_attributes(tmp_path):
    page = tmp_path / "page.html"
    page.write_text(
        '{% load i18n %}<p>{% translate "Cases" %}</p><p>Open cases</p><input placeholder="Search">'
        '{% blocktranslate %}Hello {{ name }}{% endblocktranslate %}<script>var a = "text";</script>'
        '<span title="{% translate "Close" %}">{{ count }}</span>'
    )
    assert [text for _line, text in unwrapped_text(page)] == ["Open cases", "Search"]


# --- Python: calls whose first argument a person reads, and the keywords that label fields. ---------------
USER_FACING_CALLS = {"ValidationError", "PermissionDenied", "Http404", "CaseError", "PeriodError"}
MESSAGE_CALLS = {"debug", "info", "success", "warning", "error", "add_message"}
USER_FACING_KEYWORDS = {"verbose_name", "verbose_name_plural", "help_text", "label", "empty_label"}
PYTHON_ROOTS = ("portal", "cases", "campaigns")
# Operators' tools speak English by design: backups, management commands; seeds are data; migrations copy models.
PYTHON_SKIPPED = re.compile(r"/(migrations|management|backups)/|demo_seed\.py$|national_seed\.py$")
# The API schema's parameter descriptions are developer documentation (docs/api.md), in English.
SCHEMA_MODULES = {"portal/reports/api.py", "portal/reports/api_snapshots.py", "portal/search/api.py"}
# A search hit's `label=` is the object's own name or reference (data), not interface text.
DATA_MODULES = {"portal/search/selectors.py"}


def is_literal_text(node: ast.AST) -> bool:
    if isinstance(node, ast.JoinedStr):
        return True
    return isinstance(node, ast.Constant) and isinstance(node.value, str) and bool(WORD.search(node.value))


def unwrapped_literals(path: Path, name: str) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Call):
            continue
        func = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
        is_message = (
            func in MESSAGE_CALLS
            and isinstance(node.func, ast.Attribute)
            and ast.unparse(node.func.value) == "messages"
        )
        args = node.args[1:] if is_message else node.args
        if (func in USER_FACING_CALLS or is_message) and args and is_literal_text(args[0]):
            found.append(f"  {name}:{node.lineno}: {func}({ast.unparse(args[0])[:80]})")
        if name in SCHEMA_MODULES or name in DATA_MODULES:
            continue
        for keyword in node.keywords:
            if keyword.arg in USER_FACING_KEYWORDS and is_literal_text(keyword.value):
                found.append(f"  {name}:{node.lineno}: {keyword.arg}={ast.unparse(keyword.value)[:80]}")
    return found


def test_python_user_facing_literals_are_wrapped_for_translation():
    found = []
    for root in PYTHON_ROOTS:
        for path in sorted((BASE / root).rglob("*.py")):
            name = path.relative_to(BASE).as_posix()
            if not PYTHON_SKIPPED.search("/" + name):
                found += unwrapped_literals(path, name)
    assert not found, "User-facing literals not wrapped in gettext/gettext_lazy:\n" + "\n".join(found)
