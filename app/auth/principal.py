"""The caller of a request."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Role(StrEnum):
    ADMIN = "admin"
    AUTHORITY = "authority"  # the national authority: reviews, approves, reads and writes all
    ANALYST = "analyst"  # reads everything
    OPERATOR = "operator"  # submits for its own organisation, reads its own submissions


# Roles a token of a user with the given role may carry (a token can narrow, never widen).
TOKEN_ROLES: dict[Role, frozenset[Role]] = {
    Role.ADMIN: frozenset(Role),
    Role.AUTHORITY: frozenset({Role.AUTHORITY, Role.ANALYST}),
    Role.ANALYST: frozenset({Role.ANALYST}),
    Role.OPERATOR: frozenset({Role.OPERATOR}),
}


@dataclass(frozen=True)
class Principal:
    """An authenticated user acting with the role of the token used; None role: anonymous."""

    user_id: int | None = None
    user_name: str | None = None
    role: Role | None = None
    organisation_id: int | None = None
    remote_addr: str | None = None

    @property
    def anonymous(self) -> bool:
        return self.role is None
