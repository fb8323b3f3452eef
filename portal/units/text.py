"""Text helpers for Vietnamese names: diacritic-free search keys."""

import unicodedata

_SPECIAL = str.maketrans({"đ": "d", "Đ": "d"})


def search_key(text: str) -> str:
    """Lower-case, diacritics removed, spaces folded: "Thái Nguyên" -> "thai nguyen"."""
    decomposed = unicodedata.normalize("NFD", text.translate(_SPECIAL))
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return " ".join(stripped.lower().split())
