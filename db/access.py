"""Who may do what in which company: identities, roles per company, and the one scope every read and write takes.

A ``Scope`` (who, which company, which roles, the company's data version) is only ever made here, by
``open_scope``, from a membership (or an admin's or the single user's standing): no page, address or session
state can make one for a company the person does not belong to. Writes check the role they need
(``Scope.require``); the name on every record comes from the scope's identity, never from a text box —
except in single-user mode (sign-in off), where the typed name is recorded marked as unverified.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass, field
from enum import StrEnum

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

import clock
from db.access_models import Membership
from db.models import Workspace
from db.versions import data_version
from metrics.people import unverified_name
from metrics.refusal import Refused
from settings import get_settings

EMAIL = re.compile(r"^[^@\s<>\"]+@[^@\s<>\"]+\.[^@\s<>\"]+$")


class Role(StrEnum):
    ADVISOR = "advisor"  # administers the company: members, sources, settings; holds the review
    CEO = "ceo"
    CMO = "cmo"
    CONTRIBUTOR = "contributor"  # imports, commentary, actions and notes; cannot sign or vote
    BOARD = "board"  # reads, writes nothing


ROLE_TITLES = {Role.ADVISOR: "Advisor", Role.CEO: "CEO", Role.CMO: "CMO", Role.CONTRIBUTOR: "Contributor",
               Role.BOARD: "Board (read-only)"}


class Permission(StrEnum):
    IMPORT = "import and undo imports"
    COMMENT = "write commentary, actions and notes"
    PLAN = "edit the KPI agreement, the driver map and the leadership system"
    SIGN_CEO = "sign and vote as the CEO"
    SIGN_CMO = "sign and vote as the CMO"
    CLOSE = "close and reopen a month"
    ADMINISTER = "manage members, SQL sources and the company"


PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.ADVISOR: frozenset({Permission.IMPORT, Permission.COMMENT, Permission.PLAN, Permission.CLOSE,
                             Permission.ADMINISTER}),
    Role.CEO: frozenset({Permission.IMPORT, Permission.COMMENT, Permission.PLAN, Permission.CLOSE,
                         Permission.SIGN_CEO}),
    Role.CMO: frozenset({Permission.IMPORT, Permission.COMMENT, Permission.PLAN, Permission.CLOSE,
                         Permission.SIGN_CMO}),
    Role.CONTRIBUTOR: frozenset({Permission.IMPORT, Permission.COMMENT}),
    Role.BOARD: frozenset(),
}


class NotAllowed(Refused):
    """The person's role in this company does not allow the write; nothing was changed."""


class NoAccess(Refused):
    """The person is not a member of that company (or it does not exist): nothing of it is shown."""


@dataclass(frozen=True)
class Identity:
    """Who is asking: a signed-in person (``verified``), or the single user of an install without sign-in."""

    email: str = ""
    name: str = ""
    verified: bool = False

    def recorded_name(self, typed: str = "") -> str:
        """The name written on a record: the signed-in person's own, or in single-user mode the typed name marked
        as unverified (so history, deck and exports say so)."""
        if self.verified:
            person = self.name.strip() or self.email
            return (f"{person} ({self.email})" if self.name.strip() and self.email else person)[:120]
        return unverified_name(typed)

    @property
    def label(self) -> str:
        return self.name or self.email or "single user"


SINGLE_USER = Identity()
_KEY = secrets.token_bytes(32)  # per process: a scope cannot be forged, copied to another company or pickled in


def _seal_of(identity: Identity, workspace_id: int, roles: frozenset[Role], single_user: bool) -> str:
    """What only ``open_scope`` can compute: a keyed digest of who, which company and which roles."""
    text = repr((identity.email, identity.name, identity.verified, workspace_id, sorted(roles), single_user))
    return hmac.new(_KEY, text.encode(), hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class Scope:
    """Who is asking, in which company, with which roles: what every read and write of the app takes."""

    identity: Identity
    workspace_id: int
    workspace_name: str
    roles: frozenset[Role]
    url: str
    version: int = 0
    single_user: bool = False
    seal: str = field(default="", repr=False, compare=False)

    def __post_init__(self) -> None:
        expected = _seal_of(self.identity, self.workspace_id, self.roles, self.single_user)
        if not hmac.compare_digest(self.seal, expected):
            raise NoAccess("A company's data is reached only through a membership.")

    @property
    def cache_key(self) -> tuple[str, int, int]:
        """What a cached read depends on: the database, the company and its data version (not the person)."""
        return self.url, self.workspace_id, self.version

    def can(self, permission: Permission) -> bool:
        return any(permission in PERMISSIONS[role] for role in self.roles)

    def require(self, permission: Permission) -> None:
        """Refuse plainly when no role of the person allows ``permission``."""
        if not self.can(permission):
            roles = ", ".join(ROLE_TITLES[r] for r in sorted(self.roles)) or "no role"
            raise NotAllowed(f"As {roles} of {self.workspace_name} you cannot {permission.value}. Nothing was "
                             "changed; an advisor of the company can change your role.")

    def named(self, typed: str = "") -> str:
        """The name to record for this person (see ``Identity.recorded_name``)."""
        return self.identity.recorded_name(typed)


# --- Admins, members and the companies a person sees ------------------------------------------------


def admin_emails() -> frozenset[str]:
    """The administrators named in settings (ALIGNBOARD_ADMIN_EMAILS): they see and administer every company."""
    return frozenset(e.strip().lower() for e in get_settings().admin_emails.split(",") if e.strip())


def is_admin(identity: Identity) -> bool:
    return identity.verified and identity.email.lower() in admin_emails()


def roles_in(session: Session, identity: Identity, workspace_id: int, *, single_user: bool) -> frozenset[Role]:
    """The person's roles in the company: every role for the single user, advisor for an admin, else the
    membership's role (none: no access)."""
    if single_user:
        return frozenset({Role.ADVISOR, Role.CEO, Role.CMO})
    roles: set[Role] = {Role.ADVISOR} if is_admin(identity) else set()
    if identity.verified and identity.email:
        role = session.scalar(select(Membership.role).where(Membership.workspace_id == workspace_id,
                                                            Membership.email == identity.email.lower()))
        if role:
            roles.add(Role(role))
    return frozenset(roles)


def open_scope(session: Session, identity: Identity, workspace_id: int, url: str, *,
               single_user: bool) -> Scope:
    """The scope for ``identity`` in the company, or NoAccess. Marks a member's first sign-in."""
    workspace = session.get(Workspace, workspace_id)
    roles = roles_in(session, identity, workspace_id, single_user=single_user) if workspace else frozenset()
    if workspace is None or not roles:
        raise NoAccess("You are not a member of that company.")
    return Scope(identity=identity, workspace_id=workspace_id, workspace_name=workspace.name, roles=roles, url=url,
                 version=data_version(session, workspace_id), single_user=single_user,
                 seal=_seal_of(identity, workspace_id, roles, single_user))


def visible_company_ids(session: Session, identity: Identity, *, single_user: bool) -> set[int] | None:
    """The companies a person may open (None: every company, for the single user and admins)."""
    if single_user or is_admin(identity):
        return None
    if not (identity.verified and identity.email):
        return set()
    return set(session.scalars(select(Membership.workspace_id).where(Membership.email == identity.email.lower())))


def note_first_sign_in(session: Session, identity: Identity) -> None:
    """Access starts at the first sign-in with the invited address: record when it happened."""
    if not (identity.verified and identity.email):
        return
    for row in session.scalars(select(Membership).where(Membership.email == identity.email.lower(),
                                                        Membership.first_seen_at.is_(None))):
        row.first_seen_at = clock.now()


@dataclass(frozen=True)
class Member:
    email: str
    role: Role
    invited_by: str
    invited_at: dt.datetime
    first_seen_at: dt.datetime | None


def checked_email(email: str) -> str:
    email = email.strip().lower()
    if not EMAIL.match(email) or len(email) > 254:
        raise Refused(f"'{email[:80]}' does not look like an e-mail address.")
    return email


def members(session: Session, workspace_id: int) -> list[Member]:
    rows = session.scalars(select(Membership).where(Membership.workspace_id == workspace_id)
                           .order_by(Membership.role, Membership.email))
    return [Member(r.email, Role(r.role), r.invited_by, r.invited_at, r.first_seen_at) for r in rows]


def add_member(session: Session, workspace_id: int, email: str, role: Role, *, invited_by: str) -> Member:
    """Invite ``email`` with ``role`` (or change an existing member's role); access starts at first sign-in."""
    email = checked_email(email)
    row = session.scalar(select(Membership).where(Membership.workspace_id == workspace_id, Membership.email == email))
    if row is None:
        row = Membership(workspace_id=workspace_id, email=email, invited_at=clock.now())
        session.add(row)
    row.role, row.invited_by = Role(role).value, invited_by[:200]
    session.flush()
    return Member(row.email, Role(row.role), row.invited_by, row.invited_at, row.first_seen_at)


def remove_member(session: Session, workspace_id: int, email: str) -> bool:
    """Take a person's access to the company away; False when they were not a member."""
    done = session.execute(delete(Membership).where(Membership.workspace_id == workspace_id,
                                                    Membership.email == email.strip().lower()))
    return bool(done.rowcount)
