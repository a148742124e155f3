"""Write notifications: anything that caches query results registers here and is cleared on writes."""

from __future__ import annotations

from collections.abc import Callable

_listeners: list[Callable[[], None]] = []


def on_write(listener: Callable[[], None]) -> None:
    if listener not in _listeners:
        _listeners.append(listener)


def notify_write() -> None:
    for listener in _listeners:
        listener()
