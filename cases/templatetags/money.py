"""The `vnd` filter: {{ case.damage_amount|vnd }} shows "15.000.000 đ" in Vietnamese, "15,000,000 VND" in English."""

from django import template

from portal.formats.money import vnd as format_vnd

register = template.Library()


@register.filter
def vnd(amount: int | None) -> str:
    return format_vnd(amount)
