"""HTTP Digest authentication (RFC 7616 with MD5 and qop=auth, as ODK Collect answers it).

Collect sends a password over plain http only by Digest, and only after a challenge. Nonces
carry their moment and a signature, so any worker can check them without keeping state; a
nonce older than NONCE_TTL is stale (Collect retries with a new one without asking). The same
nonce is used for many requests (Collect counts nc up): it is not refused twice.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
import time

REALM = "landrelease"
NONCE_TTL_SECONDS = 24 * 3600
_PARAMETER = re.compile(r'(\w+)=(?:"((?:[^"\\]|\\.)*)"|([^\s,]+))')


def ha1(user: str, password: str) -> str:
    """What is stored of a password for Digest: it cannot be checked from a scrypt hash."""
    return _md5(f"{user}:{REALM}:{password}")


def challenge(secret: bytes, stale: bool = False) -> str:
    """The WWW-Authenticate value that asks for Digest (qop=auth only: Collect cannot send
    auth-int with a body)."""
    return (
        f'Digest realm="{REALM}", qop="auth", algorithm=MD5, nonce="{_nonce(secret)}", '
        f'opaque="{_md5(REALM)}"' + (", stale=true" if stale else "")
    )


def parameters(header: str) -> dict[str, str]:
    """The parameters of an ``Authorization: Digest ...`` header."""
    _, _, rest = header.partition(" ")
    return {k.lower(): quoted or bare for k, quoted, bare in _PARAMETER.findall(rest)}


def checked(
    given: dict[str, str], method: str, request_uri: str, stored_ha1: str | None, secret: bytes
) -> str:
    """ "ok", "stale" (a nonce of ours, too old) or "bad" for the parameters of a Digest
    header, given the user's stored HA1 (None: no such user, or no Digest password)."""
    nonce = given.get("nonce", "")
    state = _nonce_state(nonce, secret)
    if state != "ok":
        return state
    if stored_ha1 is None or given.get("realm") != REALM or given.get("uri") != request_uri:
        return "bad"
    ha2 = _md5(f"{method}:{given['uri']}")
    qop = given.get("qop")
    if qop == "auth":
        parts = [stored_ha1, nonce, given.get("nc", ""), given.get("cnonce", ""), "auth", ha2]
        expected = _md5(":".join(parts))
    elif qop is None:  # RFC 2069
        expected = _md5(f"{stored_ha1}:{nonce}:{ha2}")
    else:
        return "bad"
    return "ok" if hmac.compare_digest(expected, given.get("response", "")) else "bad"


def new_secret() -> bytes:
    return secrets.token_bytes(32)


def _nonce(secret: bytes, now: float | None = None) -> str:
    moment = str(int(time.time() if now is None else now))
    return base64.urlsafe_b64encode(f"{moment}:{_signature(secret, moment)}".encode()).decode()


def _nonce_state(nonce: str, secret: bytes) -> str:
    try:
        moment, signature = base64.urlsafe_b64decode(nonce.encode()).decode().split(":")
        issued = int(moment)
    except ValueError:  # binascii.Error and UnicodeDecodeError are ValueErrors
        return "bad"
    if not hmac.compare_digest(signature, _signature(secret, moment)):
        # Signed with another secret (a restart, another worker): ask again, no prompt.
        return "stale"
    return "ok" if time.time() - issued < NONCE_TTL_SECONDS else "stale"


def _signature(secret: bytes, moment: str) -> str:
    return hmac.new(secret, moment.encode(), hashlib.sha256).hexdigest()[:32]


def _md5(text: str) -> str:
    return hashlib.md5(text.encode()).hexdigest()
