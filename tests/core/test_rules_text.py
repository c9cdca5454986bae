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


@pytest.mark.parametrize(
    ("typed", "needles"),
    [
        ("year 6 E", (" year 6 ", " e ")),
        ("Y6 e", (" year 6 ", " e ")),
        ("yr 10 K", (" year 10 ", " k ")),
        ("year6", (" year 6 ",)),
        ("E", (" e ",)),  # a capital on its own: the code
        ("e", ("e",)),  # the first key of a name: a letter
        ("year", ("year",)),  # typing on: not a year group yet
        ("O'Neill 6B", ("oneill", "6b")),
    ],
)
def test_search_needles_take_year_groups_and_sen_codes_as_whole_words(typed, needles):
    from sencodesk.rules.text import search_needles

    assert search_needles(typed) == needles


def test_a_year_needle_finds_its_year_and_no_other():
    from sencodesk.rules.text import padded_key, search_needles

    six, sixteen = padded_key("Amelia Hart Year 6 6W E"), padded_key("Leo Dunn Year 16 K")
    one, ten = padded_key("Ava Year 1 K"), padded_key("Max Year 10 E")
    (year,) = search_needles("year 1")
    assert year in one and year not in ten
    year, code = search_needles("year 6 E")
    assert year in six and code in six
    assert year not in sixteen
    assert search_needles("K")[0] not in six
