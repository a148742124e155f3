"""How people are named on records: a signed-in person by name and address, and, while sign-in is off, the
typed name marked as unverified (so every history, deck and export says so)."""

from __future__ import annotations

UNVERIFIED = "unverified — sign-in is off"


def unverified_name(typed: str) -> str:
    """A typed name as it is recorded in single-user mode."""
    return f"{' '.join(typed.split())[:80] or 'someone'} ({UNVERIFIED})"


def is_unverified(name: str) -> bool:
    """Whether a recorded name was typed in while sign-in was off."""
    return name.endswith(f"({UNVERIFIED})")
