"""Text as search sees it: "wisn" finds Wiśniewski, "oneill" and "nguyen" find
Siobhán O'Neill-Nguyễn."""

from __future__ import annotations

import re
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


# "year 6", "yr 6", "y6", "year6": a year group, matched as the whole label ("Year 6" in the
# row, never "Year 16" or a UPN's digits).
_YEAR = re.compile(r"^(?:year|yr|y)(\d{1,2})$")
_YEAR_WORDS = ("year", "yr", "y")
SEN_CODES = ("e", "k", "n")  # the census SEN codes, as one-letter words (vocab.SenCode)


def search_needles(text: str) -> tuple[str, ...]:
    """What typed search text must find in a row's search key (``padded_key``), each a
    substring: the folded words, except that a year group ("year 6", "y6", "Yr 6") is the
    whole label " year 6 ", and a one-letter SEN code (E, K or N) is a whole word " e "
    when typed as a capital or beside other words ("year 6 E": the Year 6 pupils on an EHC
    plan). A lone lower-case "e" stays a letter to search for, as the first key of a name.

    The one place that reads typed search text: every list's filter goes through it.
    """
    words = fold(text).split()
    raw = text.split()
    capitals = {w.casefold() for w in raw if len(w) == 1 and w.isupper()}
    out: list[str] = []
    i = 0
    while i < len(words):
        w = words[i]
        m = _YEAR.match(w)
        if m and w not in _YEAR_WORDS:
            out.append(f" year {int(m.group(1))} ")
        elif w in _YEAR_WORDS and i + 1 < len(words) and words[i + 1].isdigit():
            out.append(f" year {int(words[i + 1])} ")
            i += 1
        elif w in SEN_CODES and (len(words) > 1 or w in capitals):
            out.append(f" {w} ")
        else:
            out.append(w)
        i += 1
    return tuple(dict.fromkeys(out))  # each once, in the order typed


def padded_key(text: str) -> str:
    """A row's search key: its text folded, with a space either end (so the whole-word
    needles of ``search_needles`` match a row's first and last words too)."""
    return f" {fold(text)} "
