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
