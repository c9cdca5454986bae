"""UPN check letters, temporary UPNs and the messages shown for bad ones."""

from __future__ import annotations

import itertools

import pytest

from sencodesk.rules.upn import check_letter, is_temporary, normalise_upn, upn_error

TABLE = "ABCDEFGHJKLMNPQRTUVWXYZ"  # DOMAIN.md: 0..22, no I, O or S

VALID = "B801200005001"  # DOMAIN.md example
SHAPE = "UPN must be a letter followed by 12 digits (the last may be a letter for a temporary UPN)"


def reference_check_letter(body: str) -> str:
    """DOMAIN.md's rule, written out independently of the code under test."""
    total = 0
    for weight, ch in zip(range(2, 14), body, strict=True):
        value = TABLE.index(ch) if ch.isalpha() else int(ch)
        total += weight * value
    return TABLE[total % 23]


def test_table_has_23_letters_without_i_o_s() -> None:
    assert len(TABLE) == 23 and not set("IOS") & set(TABLE)


def test_domain_example_is_valid() -> None:
    # By hand: 8×2 + 1×4 + 2×5 + 5×10 + 1×13 = 16 + 4 + 10 + 50 + 13 = 93; 93 mod 23 = 1 -> B.
    assert check_letter(VALID[1:]) == "B"
    assert upn_error(VALID) is None
    assert not is_temporary(VALID)


def test_temporary_upn_worked_by_hand() -> None:
    # Body 80120000500Z: the digits give 8×2 + 1×4 + 2×5 + 5×10 = 80; the final Z is index 22
    # in the table, × 13 = 286; 80 + 286 = 366; 366 mod 23 = 366 − 345 = 21 -> Y.
    assert check_letter("80120000500Z") == "Y"
    assert upn_error("Y80120000500Z") is None
    assert is_temporary("Y80120000500Z")


@pytest.mark.parametrize("final", list(TABLE))
def test_temporary_upns_with_every_final_letter(final: str) -> None:
    body = "80120000500" + final
    upn = reference_check_letter(body) + body
    assert check_letter(body) == upn[0]
    assert upn_error(upn) is None
    assert is_temporary(upn)


@pytest.mark.parametrize(
    "body",
    ["801200005001", "000000000000", "999999999999", "123456789012", "938401225017"],
)
def test_check_letter_matches_the_rule(body: str) -> None:
    assert check_letter(body) == reference_check_letter(body)
    assert upn_error(check_letter(body) + body) is None


def test_every_single_digit_error_changes_the_check_letter() -> None:
    # Weights 2..13 and digit differences 1..9 are all non-zero mod 23 (a prime).
    body = "801200005001"
    for position, digit in itertools.product(range(12), "0123456789"):
        if body[position] == digit:
            continue
        typo = body[:position] + digit + body[position + 1 :]
        assert check_letter(typo) != "B", typo
        assert upn_error("B" + typo) == f"UPN check letter should be {check_letter(typo)}, not B"


def test_adjacent_transpositions_are_caught() -> None:
    body = "801200005001"
    for i in range(11):
        swapped = body[:i] + body[i + 1] + body[i] + body[i + 2 :]
        if swapped != body:
            assert upn_error("B" + swapped) is not None, swapped


def test_normalise_upn() -> None:
    assert normalise_upn("  b801 2000 05001\t") == VALID
    assert normalise_upn("y80120000500z") == "Y80120000500Z"


def test_upn_error_normalises_first() -> None:
    assert upn_error(" b8012 00005001 ") is None


@pytest.mark.parametrize("text", ["", "B80120000500", "B8012000050011", "B 801"])
def test_wrong_length(text: str) -> None:
    assert upn_error(text) == "UPN must be 13 characters"


@pytest.mark.parametrize(
    "text",
    [
        "1801200005001",  # no leading letter
        "B80120X005001",  # a letter inside the digits
        "BB01200005001",  # a letter in position 2
        "B80120000500-",  # punctuation at the end
        "B80120000500\u0661",  # an Arabic-Indic digit one
        "\u00c9801200005001",  # a non-ASCII letter
    ],
)
def test_wrong_shape(text: str) -> None:
    assert upn_error(text) == SHAPE


@pytest.mark.parametrize("final", ["I", "O", "S"])
def test_temporary_upn_cannot_end_in_i_o_or_s(final: str) -> None:
    message = upn_error("A80120000500" + final)
    assert message is not None
    assert f"cannot end in {final}" in message


def test_wrong_check_letter_says_which_is_right() -> None:
    assert upn_error("A801200005001") == "UPN check letter should be B, not A"
    assert upn_error("Z80120000500Z") == "UPN check letter should be Y, not Z"


@pytest.mark.parametrize("body", ["80120000500", "8012000050011", "8012X0005001", "80120000500I"])
def test_check_letter_refuses_a_bad_body(body: str) -> None:
    with pytest.raises(ValueError):
        check_letter(body)


@pytest.mark.parametrize(
    ("text", "temporary"),
    [
        ("Y80120000500Z", True),
        (" y8012 0000500z ", True),
        (VALID, False),
        ("Y80120000500", False),  # too short to be a UPN at all
        ("", False),
    ],
)
def test_is_temporary(text: str, temporary: bool) -> None:
    assert is_temporary(text) is temporary
