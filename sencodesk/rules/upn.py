"""The UPN (unique pupil number) and its check letter (DfE specification).

A UPN is 13 characters: a check letter, then 12 digits (LA 3, establishment 4, year 2,
serial 3). A temporary UPN ends in a letter instead of its last digit.
"""

from __future__ import annotations

LETTERS = "ABCDEFGHJKLMNPQRTUVWXYZ"  # 23 letters, values 0..22: no I, O or S
UPN_LENGTH = 13

SHAPE_MESSAGE = (
    "UPN must be a letter followed by 12 digits (the last may be a letter for a temporary UPN)"
)


def normalise_upn(text: str) -> str:
    """Strip, remove inner spaces and upper-case: " b80120 0005001 " -> "B801200005001"."""
    return "".join(text.split()).upper()


def _is_ascii_digit(ch: str) -> bool:
    return "0" <= ch <= "9"


def _is_ascii_letter(ch: str) -> bool:
    return "A" <= ch <= "Z"


def _value(ch: str, position: int) -> int:
    if _is_ascii_digit(ch):
        return int(ch)
    if position == UPN_LENGTH and ch in LETTERS:
        return LETTERS.index(ch)
    raise ValueError(
        f"UPN character {position} must be a digit"
        + (" or one of the letters " + LETTERS if position == UPN_LENGTH else "")
        + f", not {ch!r}"
    )


def check_letter(upn_body: str) -> str:
    """The check letter for characters 2–13 of a UPN.

    Each character is multiplied by its position (weights 2–13; a final letter counts as its
    index in :data:`LETTERS`); the sum mod 23 indexes :data:`LETTERS`.

    Raises:
        ValueError: the body is not 12 characters of the right kind.
    """
    body = upn_body.upper()
    if len(body) != UPN_LENGTH - 1:
        raise ValueError(f"A UPN without its check letter has 12 characters, not {len(body)}")
    total = sum(_value(ch, position) * position for position, ch in enumerate(body, start=2))
    return LETTERS[total % len(LETTERS)]


def is_temporary(upn: str) -> bool:
    """True when the (normalised) UPN is 13 characters and ends in a letter."""
    upn = normalise_upn(upn)
    return len(upn) == UPN_LENGTH and _is_ascii_letter(upn[-1])


def upn_error(text: str) -> str | None:
    """None when ``text`` is a valid UPN once normalised, else a message a person can act on."""
    upn = normalise_upn(text)
    if len(upn) != UPN_LENGTH:
        return "UPN must be 13 characters"
    first, middle, last = upn[0], upn[1:12], upn[12]
    if not (
        _is_ascii_letter(first)
        and all(_is_ascii_digit(ch) for ch in middle)
        and (_is_ascii_digit(last) or _is_ascii_letter(last))
    ):
        return SHAPE_MESSAGE
    if _is_ascii_letter(last) and last not in LETTERS:
        return f"A temporary UPN cannot end in {last}: I, O and S are not used"
    expected = check_letter(upn[1:])
    if first != expected:
        return f"UPN check letter should be {expected}, not {first}"
    return None
