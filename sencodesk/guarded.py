"""``names_bad_data``: a reader that fails on impossible data names the rows that break the
rules, never a traceback.

Apart from ``checks``, whose rules it runs only when a reader fails: the alerts use it, and the
first page's glance imports the alerts while the window paints (importing every table's rules
there was about a tenth of the glance, #17). ``checks`` gives it too, as before.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

from .errors import BadRows, KnownError

F = TypeVar("F", bound=Callable[..., Any])


def names_bad_data(func: F) -> F:
    """For a reader whose first argument is a Session (alerts, reports, the calendar): if it
    fails on impossible data (a date of 31/12/9999 moved a week on, a negative hour), the
    failure becomes a ``BadRows`` naming the rows that break the rules, never a traceback.
    A failure with every row sound is a bug, and is raised as it is."""

    @functools.wraps(func)
    def guarded(session: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            return func(session, *args, **kwargs)
        except KnownError:
            raise
        except (ArithmeticError, ValueError, TypeError) as exc:
            from .checks.sets import database_problems

            problems = database_problems(session.connection(), limit=5)
            if not problems:
                raise
            raise BadRows(problems) from exc

    return guarded  # type: ignore[return-value]
