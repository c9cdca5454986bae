"""Progress of a long job on the command line: a one-line text bar.

A job takes a ``progress(done, total, text="")`` callable (the GUI hands it a ``JobState``);
the command line hands it a :class:`TextProgress`, which draws on stderr::

    Review packs [##########....................]  33% 4/12 Year 6: Amelia Hart

On a terminal the line is redrawn in place (at most ten times a second); into a file or a
pipe it writes a new line at each tenth of the way, so a log stays readable.
"""

from __future__ import annotations

import sys
import time
from typing import TextIO


class TextProgress:
    """Callable ``(done, total, text="")`` drawing a text progress bar on ``stream``."""

    def __init__(
        self,
        label: str = "",
        stream: TextIO | None = None,
        *,
        width: int = 30,
        interval: float = 0.1,
    ) -> None:
        self.label = label
        self.stream = stream if stream is not None else sys.stderr
        self.width = width
        self.interval = interval
        self._last_draw = 0.0
        self._last_tenth = -1
        self._open = False  # a line has been drawn and not yet ended
        self._finished = False
        try:
            self._tty = bool(self.stream.isatty())
        except (AttributeError, ValueError):
            self._tty = False

    def __call__(self, done: int, total: int, text: str = "") -> None:
        total = max(int(total), 0)
        done = min(max(int(done), 0), total) if total else 0
        complete = total == 0 or done >= total
        fraction = 1.0 if total == 0 else done / total
        if self._finished and complete:
            return
        if self._tty:
            now = time.monotonic()
            if not complete and now - self._last_draw < self.interval:
                return
            self._last_draw = now
            self.stream.write("\r" + self._line(done, total, text) + "\033[K")
            self._open = True
        else:
            tenth = int(fraction * 10)
            if tenth == self._last_tenth and not complete:
                return
            self._last_tenth = tenth
            self.stream.write(self._line(done, total, text) + "\n")
        if complete:
            self.finish()
        self.stream.flush()

    def _line(self, done: int, total: int, text: str) -> str:
        fraction = 1.0 if total == 0 else done / total
        filled = int(self.width * fraction)
        bar = "#" * filled + "." * (self.width - filled)
        head = f"{self.label} " if self.label else ""
        line = f"{head}[{bar}] {int(fraction * 100):3d}% {done:,}/{total:,}"
        if text:
            line += f" {text}"
        return line[:119]

    def finish(self) -> None:
        """End the bar's line (also after a job stopped part-way)."""
        if self._open:
            self.stream.write("\n")
            self.stream.flush()
            self._open = False
        self._finished = True


__all__ = ["TextProgress"]
