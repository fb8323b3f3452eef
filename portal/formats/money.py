"""Amounts of money in đồng as each language writes them: "1.234.000 đ" in Vietnamese, "1,234,000 VND" in English."""

from django.contrib.humanize.templatetags.humanize import intcomma
from django.utils.translation import gettext as _


def vnd(amount: int | None) -> str:
    """The amount grouped in the active language with its currency; "—" when there is none."""
    if amount is None or amount == "":
        return "—"
    return _("%(amount)s VND") % {"amount": intcomma(int(amount))}
