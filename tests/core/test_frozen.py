"""sencodesk.frozen.fast_init: the same rows as the dataclass's own __init__, still frozen."""

from __future__ import annotations

import dataclasses
import pickle

import pytest

from sencodesk.frozen import fast_init


@dataclasses.dataclass(frozen=True)
class Plain:
    a: int
    b: str
    c: tuple[int, ...] = (1,)
    d: list[int] = dataclasses.field(default_factory=list)


@fast_init
@dataclasses.dataclass(frozen=True)
class Fast:
    a: int
    b: str
    c: tuple[int, ...] = (1,)
    d: list[int] = dataclasses.field(default_factory=list)


@fast_init
@dataclasses.dataclass(frozen=True)
class Hashable:
    a: int
    b: str


def fields_of(x: object) -> dict[str, object]:
    return dict(vars(x))


def test_same_fields_positional_keyword_and_defaults() -> None:
    for args, kwargs in [((1, "x"), {}), ((1,), {"b": "y", "d": [3]}), ((2, "z", (4,), [5]), {})]:
        assert fields_of(Fast(*args, **kwargs)) == fields_of(Plain(*args, **kwargs))
    assert Fast(1, "x").d is not Fast(1, "x").d  # a new list each time, as default_factory


def test_still_frozen_equal_hashable_replaceable_and_picklable() -> None:
    f = Fast(1, "x")
    with pytest.raises(dataclasses.FrozenInstanceError):
        f.a = 2  # type: ignore[misc]
    assert f == Fast(1, "x") and f != Fast(2, "x")
    assert hash(Hashable(1, "x")) == hash(Hashable(1, "x"))
    assert dataclasses.replace(f, a=3) == Fast(3, "x")
    assert pickle.loads(pickle.dumps(f)) == f
    assert repr(f) == "Fast(a=1, b='x', c=(1,), d=[])"
    with pytest.raises(TypeError):
        Fast(1)  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        Fast(1, "x", e=2)  # type: ignore[call-arg]


def test_refuses_what_it_cannot_do() -> None:
    with pytest.raises(TypeError, match="frozen"):
        fast_init(dataclasses.dataclass(type("Open", (), {"__annotations__": {"a": int}})))

    @dataclasses.dataclass(frozen=True)
    class Post:
        a: int

        def __post_init__(self) -> None:
            pass

    with pytest.raises(TypeError, match="__post_init__"):
        fast_init(Post)


def test_once_property_works_out_its_value_once_and_keeps_it_on_a_frozen_row():
    from sencodesk.frozen import once_property

    calls = []

    @fast_init
    @dataclasses.dataclass(frozen=True)
    class Row:
        a: int

        @once_property
        def doubled(self) -> int:
            """Twice a."""
            calls.append(self.a)
            return self.a * 2

    r, s = Row(2), Row(5)
    assert (r.doubled, r.doubled, s.doubled, r.doubled) == (4, 4, 10, 4)
    assert calls == [2, 5]  # once per row
    assert r.__dict__["doubled"] == 4 and r == Row(2)  # kept; not a field
    assert Row.doubled.__doc__ == "Twice a."
    with pytest.raises(dataclasses.FrozenInstanceError):
        r.a = 3  # type: ignore[misc]
