"""sencodesk.frozen_slots: a frozen dataclass with slots, made through its unfrozen twin, is
the dataclass's own: the same fields, equality, hash, repr, replace and pickling, and still
refuses an assignment."""

from __future__ import annotations

import dataclasses
import pickle

import pytest

from sencodesk.frozen_slots import fast_slots, unfrozen


@dataclasses.dataclass(frozen=True, slots=True)
class Plain:
    a: int
    b: str
    c: tuple[int, ...] = (1,)
    d: list[int] = dataclasses.field(default_factory=list)


@fast_slots
@dataclasses.dataclass(frozen=True, slots=True)
class Fast:
    a: int
    b: str
    c: tuple[int, ...] = (1,)
    d: list[int] = dataclasses.field(default_factory=list)


@fast_slots
@dataclasses.dataclass(frozen=True, slots=True)
class Pair:
    a: int
    b: str


def values(x: object) -> list[object]:
    return [getattr(x, f.name) for f in dataclasses.fields(x)]  # type: ignore[arg-type]


def test_same_fields_positional_keyword_and_defaults() -> None:
    for args, kwargs in [((1, "x"), {}), ((1,), {"b": "y", "d": [3]}), ((2, "z", (4,), [5]), {})]:
        got = Fast(*args, **kwargs)  # type: ignore[arg-type]
        assert type(got) is Fast
        assert values(got) == values(Plain(*args, **kwargs))  # type: ignore[arg-type]
    assert Fast(1, "x").d is not Fast(1, "x").d  # a new list each time, as default_factory
    assert not hasattr(Fast(1, "x"), "__dict__")  # the fields live in the slots


def test_still_frozen_equal_hashable_replaceable_and_picklable() -> None:
    f = Fast(1, "x")
    with pytest.raises(dataclasses.FrozenInstanceError):
        f.a = 2  # type: ignore[misc]
    assert f == Fast(1, "x") and f != Fast(2, "x")
    assert hash(Pair(1, "x")) == hash(Pair(1, "x")) != hash(Pair(2, "x"))
    assert dataclasses.replace(f, a=3) == Fast(3, "x")
    assert pickle.loads(pickle.dumps(f)) == f
    assert repr(f) == "Fast(a=1, b='x', c=(1,), d=[])"
    with pytest.raises(TypeError):
        Fast(1)  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        Fast(1, "x", e=2)  # type: ignore[call-arg]


def test_a_twin_filled_by_hand_becomes_the_class() -> None:
    row = object.__new__(unfrozen(Pair))
    row.a = 7
    row.b = "y"
    row.__class__ = Pair
    assert type(row) is Pair and row == Pair(7, "y") and hash(row) == hash(Pair(7, "y"))
    with pytest.raises(dataclasses.FrozenInstanceError):
        row.a = 8


def test_refuses_what_it_cannot_build() -> None:
    with pytest.raises(TypeError, match="slots"):

        @fast_slots
        @dataclasses.dataclass(frozen=True)
        class NoSlots:
            a: int

    with pytest.raises(TypeError, match="slots"):

        @fast_slots
        @dataclasses.dataclass(slots=True)
        class NotFrozen:
            a: int

    with pytest.raises(TypeError, match="__post_init__"):

        @fast_slots
        @dataclasses.dataclass(frozen=True, slots=True)
        class Checked:
            a: int

            def __post_init__(self) -> None:
                pass

    with pytest.raises(TypeError, match="positional"):

        @fast_slots
        @dataclasses.dataclass(frozen=True, slots=True)
        class KeywordOnly:
            a: int = dataclasses.field(kw_only=True)
