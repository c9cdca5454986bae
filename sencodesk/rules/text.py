"""Text as search sees it: "wisn" finds Wiśniewski, "oneill" and "nguyen" find
Siobhán O'Neill-Nguyễn."""

from __future__ import annotations

import unicodedata

# Letters Unicode does not decompose into a base letter and a mark.
_LETTERS = str.maketrans(
    {"ł": "l", "ø": "o", "đ": "d", "ð": "d", "þ": "th", "æ": "ae", "œ": "oe", "ı": "i", "ŀ": "l"}
)
# ASCII punctuation, dropped (not made a space): "o'neill" and "oneill" are one word, and
# "o-neill" too; spaces between words stay.
_ASCII_PUNCT = str.maketrans("", "", "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")


def fold(text: str) -> str:
    """Lower-case text with accents and punctuation taken out, for matching what people type
    against names: casefold, Unicode NFKD, combining marks and punctuation removed, runs of
    space made one. Used on both sides: the searched text and what is typed."""
    if text.isascii():
        return " ".join(text.lower().translate(_ASCII_PUNCT).split())
    out = []
    for ch in unicodedata.normalize("NFKD", text.casefold().translate(_LETTERS)):
        cat = unicodedata.category(ch)
        if cat[0] == "P" or cat == "Mn" or cat == "Me" or cat == "Mc":
            continue
        out.append(ch)
    return " ".join("".join(out).translate(_LETTERS).split())
