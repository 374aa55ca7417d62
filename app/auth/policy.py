"""Every endpoint's access rule, in one place.

Routes declare the action they perform (``Depends(allow(Action.X))``); this table says which
roles may perform it. The rules that depend on the object are here too: whose submissions not
yet approved a caller may see (an operator, only its own organisation's), and whose writes
are official at once; queries build their SQL conditions from these decisions.
"""

from __future__ import annotations

from enum import StrEnum

from app.auth.principal import Principal, Role


class Action(StrEnum):
    READ_TOTALS = "read national and regional totals"
    READ_HAZARDS = "read hazards and their geometry"
    SUBMIT = "record hazards and events"
    VOID = "void events"
    PREVIEW_PENDING = "preview figures with pending submissions"
    REVIEW = "approve or reject submissions"
    WITHDRAW = "withdraw submissions"
    READ_AUDIT = "read the audit log"
    SET_PROGRAMME = "change the programme's treaty settings"
    READ_DATA_QUALITY = "read the data-quality list"
    SET_UP_PHONES = "set up a team's phones (its operator accounts for ODK Collect)"
    SET_PASSWORDS = "set a user's password"


ANONYMOUS = None
_ALL_ROLES = frozenset(Role)
_AUTHORITY = frozenset({Role.ADMIN, Role.AUTHORITY})

RULES: dict[Action, frozenset[Role | None]] = {
    Action.READ_TOTALS: _ALL_ROLES | {ANONYMOUS},
    Action.READ_HAZARDS: _ALL_ROLES,
    Action.SUBMIT: frozenset({Role.ADMIN, Role.AUTHORITY, Role.OPERATOR}),
    Action.VOID: _AUTHORITY,
    Action.PREVIEW_PENDING: _AUTHORITY,
    Action.REVIEW: _AUTHORITY,
    Action.WITHDRAW: frozenset({Role.ADMIN, Role.AUTHORITY, Role.OPERATOR}),
    Action.READ_AUDIT: _AUTHORITY,
    Action.SET_PROGRAMME: _AUTHORITY,
    Action.READ_DATA_QUALITY: _AUTHORITY,
    # A team leader signs in with an operator account of the team's organisation.
    Action.SET_UP_PHONES: frozenset({Role.ADMIN, Role.OPERATOR}),
    Action.SET_PASSWORDS: frozenset({Role.ADMIN}),
}


def permits(role: Role | None, action: Action) -> bool:
    return role in RULES[action]


# Roles that see the submissions of every organisation before they are approved.
_SEE_ALL_SUBMISSIONS = frozenset({Role.ADMIN, Role.AUTHORITY, Role.ANALYST})


def unapproved_visible_to(principal: Principal | None) -> frozenset[int] | None:
    """The organisations whose submissions not yet approved (pending or rejected) the caller
    may see: every organisation's (None) for the system (no principal) and the roles that
    see all; otherwise its own organisation's only (none without an organisation)."""
    if principal is None or principal.role in _SEE_ALL_SUBMISSIONS:
        return None
    return frozenset({principal.organisation_id}) if principal.organisation_id else frozenset()


def may_see(principal: Principal | None, status: str, organisation_id: int | None) -> bool:
    """Whether the caller may see a submission (hazard or event) in this status."""
    if status == "approved":
        return True
    visible = unapproved_visible_to(principal)
    return visible is None or organisation_id in visible


def may_withdraw(principal: Principal, organisation_id: int | None) -> bool:
    """Whether the caller may take back a pending submission: its own organisation's only
    (the authority rejects the others')."""
    return principal.organisation_id is not None and principal.organisation_id == organisation_id


def phone_accounts_of(principal: Principal) -> int | None:
    """The organisation whose operator accounts the caller may set phones up with: a team
    leader's own (0 without one: none); None for an admin, every organisation's."""
    if principal.role == Role.ADMIN:
        return None
    return principal.organisation_id or 0


def may_set_new_password(principal: Principal) -> bool:
    """A team leader sets a phone up with an account's password it knows, or with a new
    account; making a new password for an existing account (which cuts off whoever held the
    old one) is an admin's."""
    return permits(principal.role, Action.SET_PASSWORDS)


def official_at_once(principal: Principal | None) -> bool:
    """Writes of the authority (and admin, and the system) are official at once; those of
    the other roles await the authority's review."""
    return principal is None or principal.role in _AUTHORITY
