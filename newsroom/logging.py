"""Logging that stays readable during an outage.

With the database down every request fails the same way; logging each one
buries the log in identical lines. ``OncePerInterval`` lets the first record of
each distinct failure through, counts the repeats, and reports the count on the
first record of the same failure after the interval has passed.
"""

import dataclasses
import logging
import re
import threading
import time

# Parts of a message that differ between repeats of one failure.
_VARIABLE = re.compile(r"0x[0-9a-f]+|\d+")
_SPACE = re.compile(r"\s+")
# Distinct failures remembered at once; past that, finished windows are dropped.
MAX_FAILURES = 1000


def one_line(text, limit=500):
    """``text`` on one line, whitespace collapsed, at most ``limit`` characters."""
    text = _SPACE.sub(" ", str(text)).strip()
    return text if len(text) <= limit else text[: limit - 1] + "…"


def failure_key(record):
    """What makes two records the same failure.

    A record about an exception (``exc_info``, or ``extra={"failure": exc}``)
    is keyed on the exception's type and message with numbers and addresses
    taken out; any other record on its logger, level and message.
    """
    exc = record.exc_info[1] if record.exc_info else getattr(record, "failure", None)
    if exc is not None:
        kind = f"{type(exc).__module__}.{type(exc).__qualname__}"
        text = str(exc)
    else:
        kind = f"{record.name}:{record.levelname}"
        text = record.getMessage()
    return kind, _VARIABLE.sub("#", one_line(text).lower())


@dataclasses.dataclass
class _Window:
    started: float
    suppressed: int = 0


class OncePerInterval(logging.Filter):
    """One record per distinct failure per ``interval`` seconds.

    Records about an exception and records at ERROR or above are limited;
    other records (a 404 warning, say) always pass. The first record after the
    interval carries "(repeated N times in the last S s)" for those held back.
    """

    def __init__(self, interval=60, clock=time.monotonic):
        super().__init__()
        self.interval = interval
        self.clock = clock
        self._windows = {}
        self._lock = threading.Lock()

    def filter(self, record):
        if not (
            record.exc_info
            or getattr(record, "failure", None)
            or record.levelno >= logging.ERROR
        ):
            return True
        key = failure_key(record)
        now = self.clock()
        with self._lock:
            window = self._windows.get(key)
            if window is not None and now - window.started < self.interval:
                window.suppressed += 1
                return False
            if len(self._windows) >= MAX_FAILURES:
                self._forget_finished(now)
            self._windows[key] = _Window(started=now)
        if window is not None and window.suppressed:
            record.msg = (
                f"{record.msg} (repeated {window.suppressed:,} times "
                f"in the last {now - window.started:.0f} s)"
            )
        return True

    def reset(self):
        """Forget every failure seen (for tests)."""
        with self._lock:
            self._windows.clear()

    def _forget_finished(self, now):
        for key, window in list(self._windows.items()):
            if now - window.started >= self.interval:
                del self._windows[key]
