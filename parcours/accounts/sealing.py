"""The second-factor secrets at rest (docs/adr/0029-second-factor-secrets-at-rest.md).

A copy of the database (a backup, a dump sent for analysis) must not be enough to pass the
second factor:

- a TOTP key is **sealed**: AES-256-GCM under a key derived from Django's SECRET_KEY (HKDF,
  its own label), bound to the account it belongs to (the user id is the associated data, so a
  sealed key copied onto another account does not open). Stored as ``s1$`` + URL-safe base64
  of nonce, ciphertext and tag: 67 characters for django-otp's 20-byte keys, in django-otp's
  80-character column;
- a recovery code is **digested**: HMAC-SHA-256 under another derived key, 75 bits kept, stored
  as ``#`` + 15 base32 characters in django-otp's 16-character column. A code is 8 base32
  characters (40 random bits): unkeyed, its digest would be found by trying them all; keyed,
  a stolen digest is useless without the server's secret.

SECRET_KEY_FALLBACKS are tried after SECRET_KEY, so the secret key can be rotated the way
Django rotates it: a TOTP key is sealed again under the new key at its next use
(``SealedTOTPDevice.save``); recovery codes made before the rotation work until the old key
leaves the fallbacks (then the user makes new ones).
"""

from __future__ import annotations

import base64
import hmac
import os
from functools import lru_cache
from hashlib import sha256

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

SEALED_PREFIX = "s1$"
DIGEST_PREFIX = "#"
DIGEST_CHARS = 15  # 75 bits of the HMAC, base32
NONCE_BYTES = 12
_SEAL_LABEL = b"parcours/second-factor/totp-key/v1"
_DIGEST_LABEL = b"parcours/second-factor/recovery-code/v1"


class SealBroken(Exception):
    """A sealed key that no configured secret key opens (SECRET_KEY changed without keeping the
    old one in SECRET_KEY_FALLBACKS), or a sealed value that was altered."""


@lru_cache(maxsize=16)
def _derive(secret: str, label: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=label).derive(
        secret.encode("utf-8")
    )


def _secrets() -> list[str]:
    return [settings.SECRET_KEY, *settings.SECRET_KEY_FALLBACKS]


def _bound_to(user_id: int) -> bytes:
    return f"user:{user_id}".encode("ascii")


def is_sealed(stored: str) -> bool:
    return stored.startswith(SEALED_PREFIX)


def seal(secret: bytes, *, user_id: int) -> str:
    """`secret` sealed under the current SECRET_KEY, for the account `user_id`."""
    nonce = os.urandom(NONCE_BYTES)
    box = AESGCM(_derive(settings.SECRET_KEY, _SEAL_LABEL)).encrypt(
        nonce, secret, _bound_to(user_id)
    )
    return SEALED_PREFIX + base64.urlsafe_b64encode(nonce + box).decode("ascii").rstrip("=")


def unseal(stored: str, *, user_id: int) -> bytes:
    """The secret of a sealed value; SealBroken when no configured key opens it."""
    if not is_sealed(stored):
        raise SealBroken("not a sealed value")
    body = stored[len(SEALED_PREFIX) :]
    try:
        raw = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
    except ValueError:
        raise SealBroken("not a sealed value") from None
    nonce, box = raw[:NONCE_BYTES], raw[NONCE_BYTES:]
    for secret in _secrets():
        try:
            return AESGCM(_derive(secret, _SEAL_LABEL)).decrypt(nonce, box, _bound_to(user_id))
        except InvalidTag:
            continue
    raise SealBroken("no configured secret key opens this value")


def _digest(code: str, secret: str) -> str:
    mac = hmac.new(_derive(secret, _DIGEST_LABEL), code.encode("utf-8"), sha256).digest()
    return DIGEST_PREFIX + base64.b32encode(mac).decode("ascii")[:DIGEST_CHARS].lower()


def code_digest(code: str) -> str:
    """What is stored for a recovery code (under the current SECRET_KEY)."""
    return _digest(code, settings.SECRET_KEY)


def code_digests(code: str) -> list[str]:
    """The digests a typed code may have been stored under (current key, then fallbacks)."""
    return [_digest(code, secret) for secret in _secrets()]


def is_digest(stored: str) -> bool:
    return stored.startswith(DIGEST_PREFIX)
