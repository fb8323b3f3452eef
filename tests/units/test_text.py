"""Diacritic-free search keys."""

import pytest

from portal.units.text import search_key


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("Thái Nguyên", "thai nguyen"),
        ("Phường Đống Đa", "phuong dong da"),
        ("  Thành phố   Hồ Chí Minh ", "thanh pho ho chi minh"),
        ("Đặc khu Phú Quốc", "dac khu phu quoc"),
        ("thai nguyen", "thai nguyen"),
    ],
)
def test_search_key_drops_diacritics_and_case(name, key):
    assert search_key(name) == key
