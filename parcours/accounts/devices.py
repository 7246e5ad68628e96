"""django-otp's devices with their secrets kept out of the database's reach (parcours.accounts
.sealing, docs/adr/0029): proxies of django-otp's own tables, so its throttling, its session
verification (OTPMiddleware) and its migrations stay as they are, and only what is stored changes.
"""

from __future__ import annotations

from binascii import unhexlify
from collections.abc import Iterable
from typing import Any

from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import sealing


class SealedTOTPDevice(TOTPDevice):
    """A TOTP device whose key column holds the sealed key, never the key itself."""

    class Meta:
        proxy = True
        verbose_name = "application d'authentification"

    @property
    def bin_key(self) -> bytes:
        """The secret, unsealed for the computation at hand (SealBroken if it cannot be)."""
        if sealing.is_sealed(self.key):
            return sealing.unseal(self.key, user_id=self.user_id)
        return unhexlify(self.key.encode())  # django-otp's default, before the first save

    def save(self, *args: Any, **kwargs: Any) -> None:
        # Sealed again at each save that writes the key: a key sealed under a SECRET_KEY that is
        # now a fallback moves to the current one at its next use (sign-in saves the device).
        # A key no configured secret opens is left as it is (the device is enrolled again).
        fields = kwargs.get("update_fields")
        if fields is None or "key" in fields:
            try:
                secret = self.bin_key
            except sealing.SealBroken:
                pass
            else:
                self.key = sealing.seal(secret, user_id=self.user_id)
        super().save(*args, **kwargs)


class RecoveryCodes(StaticDevice):
    """The single-use recovery codes of a user, stored as keyed digests."""

    class Meta:
        proxy = True
        verbose_name = "codes de secours"

    def add_codes(self, codes: Iterable[str]) -> None:
        StaticToken.objects.bulk_create(
            StaticToken(device=self, token=sealing.code_digest(code)) for code in codes
        )

    def verify_token(self, token: Any) -> bool:
        # django-otp's check (throttling, the code used up) on the stored form of the code: the
        # digest under the current key, or under a fallback key when that is how it was stored.
        digests = sealing.code_digests(str(token))
        stored = self.token_set.filter(token__in=digests).values_list("token", flat=True).first()
        return bool(super().verify_token(stored or digests[0]))
