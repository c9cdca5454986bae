"""Search ignores case, accents and punctuation (``rules.text.fold``)."""

from __future__ import annotations

import pytest

from sencodesk.rules.text import fold


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Siobhán O'Neill-Nguyễn", "siobhan oneillnguyen"),
        ("Wiśniewski", "wisniewski"),
        ("Łukasz Zoë", "lukasz zoe"),
        ("O’Brien", "obrien"),  # a typographic apostrophe, as Word types it
        ("Year 6 · 6B", "year 6 6b"),
        ("  JOSÉ  ", "jose"),
        ("Straße", "strasse"),
        ("Ødegård", "odegard"),
    ],
)
def test_fold_takes_out_case_accents_and_punctuation(text: str, folded: str) -> None:
    assert fold(text) == folded


@pytest.mark.parametrize("typed", ["siobhan", "nguyen", "oneill", "O'Neill", "SIOBHÁN", "neill-ng"])
def test_what_people_type_is_found_in_the_folded_name(typed: str) -> None:
    assert fold(typed) in fold("Siobhán O'Neill-Nguyễn")
