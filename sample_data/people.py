"""The people of each demo company: one cast per company, used by every seeder.

Whoever signs the agreement, owns a KPI, writes its commentary, votes, owns an action, takes notes or
closes a review is drawn from here, so a new user meets the same CEO and CMO on every page.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Person:
    name: str
    role: str  # the job title, as typed after the name: "CEO", "VP Customer Success"

    @property
    def with_role(self) -> str:
        """The name and the role in brackets, "Maya Chen (CEO)", as reviews and the leadership system write it."""
        return f"{self.name} ({self.role})"


@dataclass(frozen=True)
class Cast:
    """A demo company's leadership: the CEO and CMO who sign, and the others who own KPIs and actions."""

    ceo: Person
    cmo: Person
    others: tuple[Person, ...] = ()

    def everyone(self) -> tuple[Person, ...]:
        return (self.ceo, self.cmo, *self.others)

    def titled(self, role: str) -> Person:
        """The person holding ``role`` ("CRO"); a KeyError names the role when nobody does."""
        found = next((p for p in self.everyone() if p.role == role), None)
        if found is None:
            raise KeyError(f"nobody in the cast is {role}")
        return found


NORTHWIND = Cast(
    ceo=Person("Maya Chen", "CEO"),
    cmo=Person("Daniel Okafor", "CMO"),
    others=(Person("Tom Becker", "CRO"), Person("Aisha Bello", "VP Customer Success")),
)
BLOOM = Cast(
    ceo=Person("Lukas Brandt", "CEO"),
    cmo=Person("Sofia Marchetti", "CMO"),
    others=(Person("Jonas Weber", "Head of Growth"),),
)
CASTS: dict[str, Cast] = {"Northwind Analytics": NORTHWIND, "Bloom & Brew": BLOOM}
"""Each demo company's cast, by company name."""
