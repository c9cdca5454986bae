"""rules.names: the name shown and the name sorted by, one rule for both."""

from __future__ import annotations

import pytest

from sencodesk.rules.names import display_name, names, sort_name

CASES = [
    (("Ada", "Lovelace", ""), ("Ada Lovelace", "Lovelace, Ada")),
    (("Robert", "Smith", "Bob"), ("Bob Smith", "Smith, Bob")),
    ((" Ada\t", " Lovelace ", ""), ("Ada Lovelace", "Lovelace, Ada")),
    (("Ada", "Lovelace", " "), ("Lovelace", "Lovelace, ")),  # a blank preferred name
    (("", "Lovelace", ""), ("Lovelace", "Lovelace, ")),
    (("Ada", "", ""), ("Ada", ", Ada")),
    (("Zoë", "\u3000Ñúñez\xa0", ""), ("Zoë Ñúñez", "Ñúñez, Zoë")),
]


@pytest.mark.parametrize(("given", "expected"), CASES)
def test_names_are_the_display_and_sort_names(given, expected):
    assert names(*given) == expected
    assert (display_name(*given), sort_name(*given)) == expected
