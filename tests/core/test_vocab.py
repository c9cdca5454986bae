"""Every fixed vocabulary has the words people read for every value, in one place."""

import inspect
from enum import StrEnum

from sencodesk import vocab


def test_every_vocabulary_has_a_label_for_every_value():
    enums = {
        obj
        for _, obj in inspect.getmembers(vocab, inspect.isclass)
        if issubclass(obj, StrEnum) and obj is not StrEnum
    }
    assert enums == set(vocab.LABELS)
    for enum, labels in vocab.LABELS.items():
        assert set(labels) == {m.value for m in enum}, enum.__name__
        assert all(text.strip() for text in labels.values()), enum.__name__


def test_labels_are_looked_up_by_the_stored_value():
    assert vocab.CONTRACT_KIND_LABELS["fixed_term"] == "Fixed term"
    assert vocab.REVIEW_KIND_LABELS["phase_transfer"] == "Phase transfer"
