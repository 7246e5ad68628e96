"""The second-factor secrets at rest (parcours/accounts/sealing.py, docs/adr/0029): what the
database holds does not give the TOTP key nor the recovery codes; the secret key rotates the way
Django rotates it; a lost secret key is a French message, not an error; the migration seals what
django-otp had stored in clear, once."""

from __future__ import annotations

import importlib
from binascii import hexlify
from io import StringIO
from typing import Any

import pytest
from django.apps import apps as django_apps
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from parcours.accounts import mfa, sealing
from parcours.accounts.devices import SealedTOTPDevice
from tests.conftest import Cast
from tests.security.test_two_factor import code_of, enrolled, later, login

pytestmark = pytest.mark.django_db

MIGRATION = importlib.import_module("parcours.accounts.migrations.0005_second_factor_devices")
OLD_KEY = "parcours-test-old-secret-key-" + "x" * 40
NEW_KEY = "parcours-test-new-secret-key-" + "y" * 40


def stored_rows(user: Any) -> tuple[list[str], list[str]]:
    """The key and token columns as the database holds them (read with SQL, no model)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT key FROM otp_totp_totpdevice WHERE user_id = %s", [user.pk])
        keys = [row[0] for row in cursor.fetchall()]
        cursor.execute(
            "SELECT t.token FROM otp_static_statictoken t "
            "JOIN otp_static_staticdevice d ON d.id = t.device_id WHERE d.user_id = %s",
            [user.pk],
        )
        tokens = [row[0] for row in cursor.fetchall()]
    return keys, tokens


# --- The seal itself ----------------------------------------------------------------------------


def test_a_sealed_key_opens_for_its_account_only_and_not_once_altered() -> None:
    secret = bytes(range(20))
    sealed = sealing.seal(secret, user_id=7)
    assert sealed.startswith("s1$") and len(sealed) <= 80  # django-otp's column
    assert hexlify(secret).decode() not in sealed
    assert sealing.unseal(sealed, user_id=7) == secret
    assert sealing.seal(secret, user_id=7) != sealed  # a new nonce each time
    with pytest.raises(sealing.SealBroken):
        sealing.unseal(sealed, user_id=8)  # copied onto another account
    altered = sealed[:-2] + ("A" if sealed[-2] != "A" else "B") + sealed[-1]
    with pytest.raises(sealing.SealBroken):
        sealing.unseal(altered, user_id=7)
    with pytest.raises(sealing.SealBroken):
        sealing.unseal(hexlify(secret).decode(), user_id=7)


def test_a_recovery_code_digest_depends_on_the_secret_key(settings: Any) -> None:
    digest = sealing.code_digest("abcdefghijklmnop")
    assert digest.startswith("#") and len(digest) == 16  # django-otp's column
    assert sealing.code_digest("abcdefghijklmnop") == digest
    assert sealing.code_digest("abcdefghijklmnoq") != digest
    settings.SECRET_KEY = NEW_KEY
    assert sealing.code_digest("abcdefghijklmnop") != digest


# --- What the database holds --------------------------------------------------------------------


def test_enrolment_stores_neither_the_key_nor_the_recovery_codes(cast: Cast) -> None:
    device, codes = enrolled(cast.cpip)
    keys, tokens = stored_rows(cast.cpip)
    assert len(keys) == 1 and keys[0].startswith("s1$")
    assert hexlify(device.bin_key).decode() not in keys[0]
    assert len(tokens) == len(codes) == mfa.RECOVERY_CODE_COUNT
    assert not set(tokens) & set(codes)
    assert all(token.startswith("#") for token in tokens)
    # What was stored still signs in, with the app and with a recovery code.
    with later(60):
        assert mfa.verify(cast.cpip, code_of(device)).ok
    assert mfa.verify(cast.cpip, codes[0]).ok
    assert not mfa.verify(cast.cpip, codes[0]).ok  # used up
    assert len(stored_rows(cast.cpip)[1]) == mfa.RECOVERY_CODE_COUNT - 1


def test_the_enrolment_page_shows_the_key_the_database_holds_sealed(cast: Cast) -> None:
    client = Client()
    client.force_login(cast.dpip)
    page = client.get(reverse("mfa:enrol"))
    assert page.status_code == 200
    device = SealedTOTPDevice.objects.get(user=cast.dpip, confirmed=False)
    assert mfa.manual_key(device) in page.content.decode()
    assert stored_rows(cast.dpip)[0] == [device.key]
    assert device.key.startswith("s1$")


# --- Rotation and loss of the secret key --------------------------------------------------------


@pytest.fixture
def under_old_key(cast: Cast, settings: Any) -> tuple[SealedTOTPDevice, list[str], bytes]:
    """cpip enrolled while OLD_KEY was the secret key: the device, its codes, its secret."""
    settings.SECRET_KEY, settings.SECRET_KEY_FALLBACKS = OLD_KEY, []
    device, codes = enrolled(cast.cpip)
    return device, codes, device.bin_key


def test_a_rotated_secret_key_keeps_the_second_factor_and_reseals_at_the_next_use(
    cast: Cast, settings: Any, under_old_key: tuple[SealedTOTPDevice, list[str], bytes]
) -> None:
    device, codes, secret = under_old_key
    settings.SECRET_KEY, settings.SECRET_KEY_FALLBACKS = NEW_KEY, [OLD_KEY]
    with later(60):
        assert mfa.verify(cast.cpip, code_of(device)).ok
    assert mfa.verify(cast.cpip, codes[0]).ok  # a code digested under the old key
    # The sign-in sealed the key again under the new secret key: the old one can now go.
    settings.SECRET_KEY_FALLBACKS = []
    [stored] = stored_rows(cast.cpip)[0]
    assert sealing.unseal(stored, user_id=cast.cpip.pk) == secret
    device.refresh_from_db()
    with later(120):
        assert mfa.verify(cast.cpip, code_of(device)).ok


def test_a_lost_secret_key_is_a_french_message_and_a_new_enrolment_key(
    cast: Cast, settings: Any
) -> None:
    settings.SECRET_KEY = OLD_KEY
    enrolled(cast.cpip)
    pending = mfa.pending_device(cast.dpip)
    settings.SECRET_KEY = NEW_KEY  # the old one lost, not kept in the fallbacks
    check = mfa.verify(cast.cpip, "123456")
    assert not check.ok and check.error == mfa.BROKEN_SEAL
    client = Client()
    login(client, "cpip")
    refused = client.post(reverse("mfa:verify"), {"code": "123456"})
    assert refused.status_code == 400
    assert "demandez à un administrateur" in refused.content.decode()
    # A pending enrolment sealed under the lost key: a new key is drawn, the page answers.
    fresh = mfa.pending_device(cast.dpip)
    assert fresh.pk != pending.pk
    assert len(mfa.manual_key(fresh)) > 0


# --- The migration ------------------------------------------------------------------------------


def test_the_migration_seals_what_django_otp_stored_in_clear_once_and_reverses(
    cast: Cast,
) -> None:
    plain_key = "3132333435363738393031323334353637383930"  # RFC 6238's test secret
    TOTPDevice.objects.bulk_create(
        [TOTPDevice(user=cast.cpip, name="appli", confirmed=True, key=plain_key)]
    )
    codes = StaticDevice.objects.create(user=cast.cpip, name="codes", confirmed=True)
    StaticToken.objects.bulk_create(
        [StaticToken(device=codes, token=t) for t in ("aaaabbbbccccdddd", "eeeeffffgggghhhh")]
    )

    MIGRATION.seal_stored_secrets(django_apps, None)
    keys, tokens = stored_rows(cast.cpip)
    assert keys[0].startswith("s1$") and plain_key not in keys[0]
    assert sorted(tokens) == sorted(
        sealing.code_digest(t) for t in ("aaaabbbbccccdddd", "eeeeffffgggghhhh")
    )
    device = SealedTOTPDevice.objects.get(user=cast.cpip)
    value = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
    assert mfa.verify(cast.cpip, f"{value:06d}").ok
    assert mfa.verify(cast.cpip, "eeee-ffff-gggg-hhhh").ok

    before = stored_rows(cast.cpip)
    assert before[1] == [sealing.code_digest("aaaabbbbccccdddd")]  # the other one used up
    MIGRATION.seal_stored_secrets(django_apps, None)  # a second run changes nothing
    assert stored_rows(cast.cpip) == before

    MIGRATION.unseal_stored_secrets(django_apps, None)
    assert stored_rows(cast.cpip) == ([plain_key], [])


def test_reseal_second_factor_moves_every_key_to_the_current_secret_key(
    cast: Cast, settings: Any, under_old_key: tuple[SealedTOTPDevice, list[str], bytes]
) -> None:
    secret = under_old_key[2]
    SealedTOTPDevice.objects.create(user=cast.dpip, name="appli", confirmed=True)
    settings.SECRET_KEY = "parcours-test-lost-secret-key-" + "z" * 40
    SealedTOTPDevice.objects.create(user=cast.cpip2, name="appli", confirmed=True)  # lost key
    settings.SECRET_KEY, settings.SECRET_KEY_FALLBACKS = NEW_KEY, [OLD_KEY]
    out, err = StringIO(), StringIO()
    call_command("reseal_second_factor", stdout=out, stderr=err)
    assert "2 clé(s) rescellée(s)" in out.getvalue()
    assert "1 clé(s) qu'aucune clé secrète configurée n'ouvre" in err.getvalue()
    settings.SECRET_KEY_FALLBACKS = []  # the old key can go now
    [stored] = stored_rows(cast.cpip)[0]
    assert sealing.unseal(stored, user_id=cast.cpip.pk) == secret
    assert sealing.is_sealed(stored_rows(cast.dpip)[0][0])
    assert len(sealing.unseal(stored_rows(cast.dpip)[0][0], user_id=cast.dpip.pk)) == 20
