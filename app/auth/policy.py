"""Every endpoint's access rule, in one place.

Routes declare the action they perform (``Depends(allow(Action.X))``); this table says which
roles may perform it. Rules that depend on the object (an operator sees and changes only its
own organisation's submissions) are applied by the queries and use cases with the principal.
"""

from __future__ import annotations

from enum import StrEnum

from app.auth.principal import Role


class Action(StrEnum):
    READ_TOTALS = "read national and regional totals"
    READ_HAZARDS = "read hazards and their geometry"
    SUBMIT = "record hazards and events"
    VOID = "void events"
    PREVIEW_PENDING = "preview figures with pending submissions"
    REVIEW = "approve or reject submissions"
    READ_AUDIT = "read the audit log"
    SET_PROGRAMME = "change the programme's treaty settings"


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
    Action.READ_AUDIT: _AUTHORITY,
    Action.SET_PROGRAMME: _AUTHORITY,
}


def permits(role: Role | None, action: Action) -> bool:
    return role in RULES[action]
