"""Figures in the reader's language: "1.234,5" and "92,4%" in Vietnamese, "1,234.5" and "92.4%" in English."""

from django.utils.formats import get_format

from .narrative import vn_number


def local_number(value: float, digits: int = 1) -> str:
    """vn_number's rounding and trimming (92.0 -> "92"), with the active language's separators."""
    text = vn_number(value, digits)
    decimal, thousands = get_format("DECIMAL_SEPARATOR"), get_format("THOUSAND_SEPARATOR")
    if (decimal, thousands) == (",", "."):
        return text
    return text.replace(".", "\0").replace(",", decimal).replace("\0", thousands)


def local_percent(value: float, digits: int = 1) -> str:
    return f"{local_number(value, digits)}%"
