"""Frozen dataclasses with ``__slots__``, built fast by the ten thousand (#17).

``frozen.fast_init`` makes a frozen dataclass's ``__init__`` one call: it sets the instance's
``__dict__`` whole. A 20-field dict is still most of a row's cost (about 0.7 µs to build) and
of its memory (464 bytes). A class with ``__slots__`` keeps its fields in the object itself
(176 bytes for 20), but a frozen one fills each slot through ``object.__setattr__``: one call
per field, slower than the dict.

:func:`fast_slots` gives such a class a fast ``__init__`` through an *unfrozen twin*: a plain
class with the same slots, so the same layout. The new object is made the twin
(``__class__`` assignment, which Python allows between classes of one layout), its slots are
filled by plain attribute stores, and it is made the frozen class again. Everything else stays
as the dataclass made it: equality, hashing, ``repr``, ``dataclasses.replace``, pickling and
the refusal to assign to a field.

A loop that builds many rows can fill the twin itself (:func:`unfrozen`) and skip the call::

    row = object.__new__(unfrozen(Row))
    row.a = ...  # every field
    row.__class__ = Row
"""

from __future__ import annotations

import dataclasses
from typing import Any, TypeVar

from .frozen import init_parameters

T = TypeVar("T")

_TWINS: dict[type, type] = {}


def fast_slots(cls: type[T]) -> type[T]:
    """Use as the decorator above ``@dataclass(frozen=True, slots=True)``: ``@fast_slots``."""
    params = getattr(cls, "__dataclass_params__", None)
    if params is None or not params.frozen or "__slots__" not in cls.__dict__:
        raise TypeError(f"{cls.__name__}: fast_slots is for frozen dataclasses with slots")
    if hasattr(cls, "__post_init__"):
        raise TypeError(f"{cls.__name__}: fast_slots does not run __post_init__")
    every: tuple[dataclasses.Field[Any], ...] = dataclasses.fields(cls)  # type: ignore[arg-type]
    if any(not f.init or f.kw_only is True for f in every):
        raise TypeError(f"{cls.__name__}: fast_slots needs every field in __init__, positional")
    twin = type(f"{cls.__name__}Unfrozen", (), {"__slots__": cls.__slots__})  # type: ignore[attr-defined]
    probe: Any = object.__new__(twin)
    probe.__class__ = cls  # TypeError here if the layouts differ (a base with slots, say)
    env: dict[str, Any] = {"_set": object.__setattr__, "_twin": twin, "_cls": cls}
    args, values = init_parameters(list(every), env)
    body = [f"    self.{name} = {value}\n" for name, value in values]
    src = (
        f"def __init__(self, {', '.join(args)}):\n"
        "    _set(self, '__class__', _twin)\n"
        f"{''.join(body)}"
        "    self.__class__ = _cls\n"
    )
    exec(src, env)  # noqa: S102 - the source is built from the class's own field names
    init = env["__init__"]
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    init.__doc__ = cls.__init__.__doc__
    cls.__init__ = init  # type: ignore[method-assign]
    _TWINS[cls] = twin
    return cls


def unfrozen(cls: type) -> type:
    """The plain class with ``cls``'s slots (``cls`` made by :func:`fast_slots`): an object of
    it with every field set becomes a ``cls`` by ``obj.__class__ = cls``."""
    return _TWINS[cls]
