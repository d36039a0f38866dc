"""Rooms above casework follow every case step through this registry, never through signals.

A room registers a receiver from its own `AppConfig.ready()`:

    from lianxin.cases import hooks
    hooks.register(my_receiver)

`record_event` (cases/services/_common.py), the one function every case step writes its
timeline entry with, calls each receiver as `receiver(case=case, event=event)` right after the
entry is written, inside the same transaction: a receiver that fails rolls the step back, so
whatever it keeps (the figures of `insight`, for instance) can never disagree with the cases.
Casework imports none of the rooms that register here.
"""

from __future__ import annotations

from collections.abc import Callable

Receiver = Callable[..., None]

_receivers: list[Receiver] = []


def register(receiver: Receiver) -> Receiver:
    """Add `receiver` (once, however often `ready()` runs); usable as a decorator."""
    if receiver not in _receivers:
        _receivers.append(receiver)
    return receiver


def unregister(receiver: Receiver) -> None:
    if receiver in _receivers:
        _receivers.remove(receiver)


def receivers() -> tuple[Receiver, ...]:
    return tuple(_receivers)


def case_event_recorded(*, case, event) -> None:
    for receiver in _receivers:
        receiver(case=case, event=event)
