"""A faster ``__init__`` for the frozen dataclasses built by the thousand (#17).

A frozen dataclass's generated ``__init__`` sets each field through ``object.__setattr__``
(the class's own ``__setattr__`` refuses): one call per field. With 20 fields that is most of
the cost of a row, and the pupil list builds 20,000 of them. :func:`fast_init` gives the class
an ``__init__`` with the same parameters and defaults that sets the instance's ``__dict__`` in
one call. Everything else stays as the dataclass made it: equality, hashing, ``repr``,
``dataclasses.replace`` and the refusal to assign to a field.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any, Generic, TypeVar, overload

T = TypeVar("T")
V = TypeVar("V")

_MISSING = dataclasses.MISSING


def init_parameters(
    fields: list[dataclasses.Field[Any]], env: dict[str, Any]
) -> tuple[list[str], list[tuple[str, str]]]:
    """For a generated ``__init__``: its parameters ("name", or "name=_d3" with the default
    put in ``env``) and each field's (name, the expression of its value: a default factory is
    called when the argument is left out)."""
    env["_MISSING"] = _MISSING
    args, values = [], []
    for i, f in enumerate(fields):
        if f.default is not _MISSING:
            env[f"_d{i}"] = f.default
            args.append(f"{f.name}=_d{i}")
            values.append((f.name, f.name))
        elif f.default_factory is not _MISSING:
            env[f"_f{i}"] = f.default_factory
            args.append(f"{f.name}=_MISSING")
            values.append((f.name, f"_f{i}() if {f.name} is _MISSING else {f.name}"))
        else:
            args.append(f.name)
            values.append((f.name, f.name))
    return args, values


def fast_init(cls: type[T]) -> type[T]:
    """Use as the decorator above ``@dataclass(frozen=True)``: ``@fast_init``."""
    params = getattr(cls, "__dataclass_params__", None)
    if params is None or not params.frozen:
        raise TypeError(f"{cls.__name__}: fast_init is for frozen dataclasses")
    if hasattr(cls, "__post_init__") or hasattr(cls, "__slots__"):
        raise TypeError(f"{cls.__name__}: fast_init does not run __post_init__ or fill slots")
    every: tuple[dataclasses.Field[Any], ...] = dataclasses.fields(cls)  # type: ignore[arg-type]
    fields = [f for f in every if f.init]
    if len(fields) != len(every) or any(f.kw_only is True for f in fields):
        raise TypeError(f"{cls.__name__}: fast_init needs every field in __init__, positional")
    env: dict[str, Any] = {"_set": object.__setattr__}
    args, values = init_parameters(fields, env)
    body = [f"{name!r}: {value}" for name, value in values]
    src = (
        f"def __init__(self, {', '.join(args)}):\n"
        f"    _set(self, '__dict__', {{{', '.join(body)}}})\n"
    )
    exec(src, env)  # noqa: S102 - the source is built from the class's own field names
    init = env["__init__"]
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    init.__doc__ = cls.__init__.__doc__
    cls.__init__ = init  # type: ignore[method-assign]
    return cls


class once_property(Generic[V]):  # noqa: N801 - used as a decorator, as cached_property
    """``functools.cached_property`` without the lock Python 3.11's takes at each first read
    (3.12 dropped it as a mistake): the value is worked out at the first read and kept in the
    instance's ``__dict__``, where later reads find it without calling this. Works on a frozen
    dataclass (the ``__dict__`` is written directly). The costs report reads four sums of each
    of a trust's pupils: the lock was a tenth of the report (#17)."""

    def __init__(self, func: Callable[[Any], V]) -> None:
        self.func = func
        self.name = func.__name__
        self.__doc__ = func.__doc__

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    @overload
    def __get__(self, instance: None, owner: type | None = None) -> once_property[V]: ...

    @overload
    def __get__(self, instance: object, owner: type | None = None) -> V: ...

    def __get__(self, instance: object | None, owner: type | None = None) -> Any:
        if instance is None:
            return self
        value = instance.__dict__[self.name] = self.func(instance)
        return value
