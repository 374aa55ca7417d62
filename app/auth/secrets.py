"""API tokens and passwords: random tokens stored as SHA-256, passwords with scrypt."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import threading
from functools import cache

from app.settings import rate_settings

TOKEN_PREFIX = "lr_"


def new_token() -> str:
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    # A token has 256 random bits: a fast hash cannot be brute-forced, so SHA-256 suffices.
    return hashlib.sha256(token.encode()).hexdigest()


_SCRYPT = {"n": 2**15, "r": 8, "p": 1, "maxmem": 64 * 1024 * 1024, "dklen": 32}


@cache
def _hashing() -> threading.BoundedSemaphore:
    """Each scrypt takes 32 MiB: many sign-ins at once wait their turn rather than take the
    server's memory."""
    return threading.BoundedSemaphore(rate_settings().password_hashes_at_once)


def _scrypt(password: str, salt: bytes) -> bytes:
    with _hashing():
        return hashlib.scrypt(password.encode(), salt=salt, **_SCRYPT)


def hash_password(password: str) -> str:
    salt = secrets.token_bytes(16)
    digest = _scrypt(password, salt)
    return "scrypt$" + base64.b64encode(salt).decode() + "$" + base64.b64encode(digest).decode()


def verify_password(password: str, stored: str | None) -> bool:
    """Whether ``password`` is the one ``stored`` was made from. Without a stored hash, one
    made for no one is checked, so that the answer takes as long as for a real account
    (nobody learns from the time which user names exist)."""
    usable = stored is not None and stored.startswith("scrypt$")
    checked = stored if stored is not None and usable else _nobody()
    _, salt, digest = checked.split("$")
    computed = _scrypt(password, base64.b64decode(salt))
    return usable and hmac.compare_digest(computed, base64.b64decode(digest))


@cache
def _nobody() -> str:
    return hash_password(secrets.token_urlsafe(16))
