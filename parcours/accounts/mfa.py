"""Two-factor sign-in (docs/adr/0014-two-factor-sign-in.md): TOTP devices and single-use
recovery codes from django-otp, the gate that asks for them, and the journal of every change.

- A user with a confirmed TOTP device gives a 6-digit code (or a recovery code) after the
  password, before any page.
- With PARCOURS_MFA_REQUIRED (production default; off with PARCOURS_DEMO=1), administrators,
  DPIP and DFSPIP without a device are sent to the enrolment page before any page, and anyone
  without a verified session who asks for break-the-glass (the motif page) or an export (report
  file, convocation letter) is sent to enrolment and brought back afterwards.
- Whether the user has a device is read once, at login (`user_logged_in`), and kept in the
  session: a page costs no query for users without a device. A verified session is django-otp's
  (`OTPMiddleware`: the device id in the session, checked on each request, so a device removed
  by an administrator ends the verification).
- Wrong codes are throttled by django-otp (1, 2, 4, 8… seconds between tries per device).
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode, urlparse

import django_otp
from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.db import transaction
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django_otp.models import VerifyNotAllowed
from django_otp.plugins.otp_static.models import StaticToken

from parcours.audit.models import AuditAction
from parcours.audit.services import record
from parcours.core.middleware import Middleware, go_to, redirect_back, view_name
from parcours.rules.roles import Role

from . import notices
from .devices import RecoveryCodes, SealedTOTPDevice
from .sealing import SealBroken

# Roles that always sign in with a second factor when PARCOURS_MFA_REQUIRED is on.
REQUIRED_ROLES = frozenset({Role.ADMIN, Role.DPIP, Role.DFSPIP})
# Pages that need a verified session (PARCOURS_MFA_REQUIRED): break-the-glass and exports.
SENSITIVE_VIEWS = {
    "people:motif": "L'accès exceptionnel au dossier d'une personne que vous ne suivez pas",
    "reports:pdf": "L'export d'un rapport",
    "reports:docx": "L'export d'un rapport",
    "agenda:letter": "L'export d'une convocation",
    "lifecycle:access_export": "La communication des données d'une personne (droit d'accès)",
    "partners:inbox_csv": "L'export de vos orientations",
}
# Bulk exports and operations that could hand an account over: the second factor is asked
# again when the session's last code is older than PARCOURS_STEP_UP_SECONDS (security bar 8;
# docs/adr/0030), whatever the session's age.
STEP_UP_VIEWS = {
    "lifecycle:access_export": "La communication de toutes les données d'une personne",
    "partners:inbox_csv": "L'export de toutes vos orientations",
    "mfa:recovery_codes": "La création de nouveaux codes de secours",
    "mfa:remove": "Le retrait de votre double authentification",
    "mfa:admin_reset": "La réinitialisation de la double authentification d'un utilisateur",
    "accounts:user_reset_link": "La création d'un lien de mot de passe pour un utilisateur",
    "accounts:role_request_decide": "La décision sur une demande d'attribution de rôle",
}
# Pages reachable before the second factor.
EXEMPT_VIEWS = frozenset(
    {
        "accounts:login",
        "accounts:logout",
        "core:health",
        "mfa:verify",
        "mfa:enrol",
        "notifications:stop",
        "agenda:ical",
    }
)

STATE_KEY = "parcours_mfa"
VERIFIED_AT_KEY = "parcours_mfa_verified_at"  # POSIX time of the session's last code
CONFIRMING = "confirmer"  # verify page's parameter: the STEP_UP_VIEWS operation asked again
HAS_DEVICE = "appareil"
NO_DEVICE = "aucun"
RECOVERY_CODE_COUNT = 10
# A device sealed under a secret key that is no longer configured (docs/operations.md).
BROKEN_SEAL = (
    "Votre application d'authentification n'est plus reconnue par Parcours : demandez à un "
    "administrateur de réinitialiser votre double authentification."
)
DEVICE_NAME = "Application d'authentification"

# The journal's `details["evenement"]` values.
ACTIVATION = "activation"
DESACTIVATION = "desactivation"
CODES_REGENERES = "codes_regeneres"
CODE_SECOURS_UTILISE = "code_secours_utilise"
ECHEC_CODE = "echec_code"
CONFIRMATION = "confirmation_operation_sensible"
REINITIALISATION = "reinitialisation_par_administrateur"


def mfa_required_for(user: Any) -> bool:
    return bool(settings.PARCOURS_MFA_REQUIRED) and user.role in REQUIRED_ROLES


def confirmed_totp(user: Any) -> SealedTOTPDevice | None:
    return SealedTOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def has_device(user: Any) -> bool:
    return SealedTOTPDevice.objects.filter(user=user, confirmed=True).exists()


def _journal(event: str, *, actor: Any, user: Any, **details: Any) -> None:
    """The journal's event, and the user's e-mail notice when it is one (accounts.notices)."""
    record(
        AuditAction.DOUBLE_FACTEUR,
        actor=actor,
        obj=user,
        object_type="user",
        details={"evenement": event, **details},
    )
    notices.notify(user, event, left=details.get("restants"))


# Enrolment.


def pending_device(user: Any) -> SealedTOTPDevice:
    """The unconfirmed device being enrolled (the same key across reloads of the page)."""
    device = SealedTOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is not None and not _opens(device):
        device.delete()  # sealed under a secret key no longer configured: a new key is drawn
        device = None
    if device is None:
        device = SealedTOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
    return device


def _opens(device: SealedTOTPDevice) -> bool:
    try:
        return len(device.bin_key) > 0
    except SealBroken:
        return False


def manual_key(device: SealedTOTPDevice) -> str:
    """The secret in base32, by groups of four, for typing into an app by hand."""
    secret = base64.b32encode(device.bin_key).decode("ascii").rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


# The QR code's text alternative (its <title>); the key is also written out beside it.
QR_TITLE = "QR code à scanner avec l'application d'authentification"


def qr_svg(device: SealedTOTPDevice) -> str:
    """The otpauth:// URL as an inline SVG (no script, no external image: CSP-safe)."""
    import segno

    code = segno.make(device.config_url, error="m")
    svg = str(code.svg_inline(scale=4, border=2, title=QR_TITLE))
    return svg.replace("<svg ", '<svg role="img" ', 1)


def _new_recovery_codes(user: Any) -> list[str]:
    """Replace the user's recovery codes by RECOVERY_CODE_COUNT new single-use ones."""
    RecoveryCodes.objects.filter(user=user).delete()
    device = RecoveryCodes.objects.create(user=user, name="Codes de secours", confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    device.add_codes(codes)
    return codes


@dataclass(frozen=True)
class CodeCheck:
    device: SealedTOTPDevice | RecoveryCodes | None
    error: str = ""
    throttled: bool = False
    recovery_left: int | None = None

    @property
    def ok(self) -> bool:
        return self.device is not None


def normalise(code: str) -> str:
    return "".join(code.split()).replace("-", "").lower()


def _throttled_message(data: dict[str, Any] | None) -> str:
    seconds = 1
    if data and data.get("reason") == VerifyNotAllowed.N_FAILED_ATTEMPTS:
        locked_until = data.get("locked_until")
        if locked_until is not None:
            seconds = max(1, int((locked_until - timezone.now()).total_seconds()) + 1)
    return (
        "Trop de codes erronés : par sécurité, attendez "
        f"{seconds} seconde{'s' if seconds > 1 else ''} avant de réessayer."
    )


def _check(device: SealedTOTPDevice | RecoveryCodes, code: str) -> CodeCheck:
    """One try against one device, under django-otp's throttling (row locked meanwhile)."""
    with transaction.atomic():
        locked = type(device).objects.select_for_update().get(pk=device.pk)
        allowed, data = locked.verify_is_allowed()
        if not allowed:
            return CodeCheck(None, _throttled_message(data), throttled=True)
        try:
            verified = locked.verify_token(code)
        except SealBroken:
            return CodeCheck(None, BROKEN_SEAL)
        if verified:
            left = None
            if isinstance(locked, RecoveryCodes):
                left = locked.token_set.count()
            return CodeCheck(locked, recovery_left=left)
    return CodeCheck(None, "Code incorrect. Vérifiez l'heure de votre téléphone et réessayez.")


def confirm_enrolment(
    user: Any, device: SealedTOTPDevice, code: str
) -> tuple[CodeCheck, list[str]]:
    """Confirm the pending device with a code from the app: the device becomes the user's only
    one, with RECOVERY_CODE_COUNT new recovery codes (returned once; only their keyed digests
    are stored)."""
    check = _check(device, normalise(code))
    if not check.ok:
        _journal(ECHEC_CODE, actor=user, user=user, etape="activation")
        return check, []
    with transaction.atomic():
        SealedTOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        SealedTOTPDevice.objects.filter(pk=device.pk).update(confirmed=True)
        device.confirmed = True
        codes = _new_recovery_codes(user)
        _journal(ACTIVATION, actor=user, user=user, codes_de_secours=len(codes))
    return CodeCheck(device), codes


def verify(user: Any, code: str, *, step: str = "connexion") -> CodeCheck:
    """A sign-in code (or a step-up's, `step="confirmation"`): six digits for the app, otherwise
    a recovery code (used up)."""
    code = normalise(code)
    if not code:
        return CodeCheck(None, "Saisissez le code à 6 chiffres de votre application.")
    if code.isdigit() and len(code) == 6:
        device: SealedTOTPDevice | RecoveryCodes | None = confirmed_totp(user)
    else:
        device = RecoveryCodes.objects.filter(user=user).first()
    check = CodeCheck(None, "Code incorrect.") if device is None else _check(device, code)
    if check.ok:
        if check.recovery_left is not None:
            _journal(CODE_SECOURS_UTILISE, actor=user, user=user, restants=check.recovery_left)
    else:
        _journal(ECHEC_CODE, actor=user, user=user, etape=step, bloque=check.throttled)
    return check


def regenerate_recovery_codes(user: Any) -> list[str]:
    with transaction.atomic():
        codes = _new_recovery_codes(user)
        _journal(CODES_REGENERES, actor=user, user=user, codes_de_secours=len(codes))
    return codes


def remove_devices(*, acting_user: Any, user: Any) -> bool:
    """Remove every device of `user` (the user themself, or an administrator resetting a lost
    phone); the user enrols again. False when there was nothing to remove."""
    with transaction.atomic():
        had = has_device(user)
        SealedTOTPDevice.objects.filter(user=user).delete()
        RecoveryCodes.objects.filter(user=user).delete()
        if had:
            event = DESACTIVATION if acting_user.pk == user.pk else REINITIALISATION
            _journal(event, actor=acting_user, user=user)
    return had


def reseal_all() -> tuple[int, int]:
    """Every TOTP key sealed again under the current SECRET_KEY (after a rotation, so the old
    key can leave SECRET_KEY_FALLBACKS). Returns (resealed, left as they are: no configured
    key opens them; their owners need an administrator's reset)."""
    resealed = broken = 0
    for device in SealedTOTPDevice.objects.order_by("pk").iterator():
        if _opens(device):
            device.save(update_fields=["key"])
            resealed += 1
        else:
            broken += 1
    return resealed, broken


def recovery_codes_left(user: Any) -> int:
    return StaticToken.objects.filter(device__user=user).count()


# Session state.


@receiver(user_logged_in, dispatch_uid="parcours_mfa_state")
def remember_device_state(
    sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any
) -> None:
    if request is not None and hasattr(request, "session"):
        request.session[STATE_KEY] = HAS_DEVICE if has_device(user) else NO_DEVICE


def session_verified(request: HttpRequest, device: Any) -> None:
    django_otp.login(request, device)
    request.session[STATE_KEY] = HAS_DEVICE
    request.session[VERIFIED_AT_KEY] = timezone.now().timestamp()


def code_is_fresh(request: HttpRequest) -> bool:
    """Whether the session's last code was given within PARCOURS_STEP_UP_SECONDS."""
    at = request.session.get(VERIFIED_AT_KEY)
    if not isinstance(at, int | float):
        return False
    return timezone.now().timestamp() - at <= settings.PARCOURS_STEP_UP_SECONDS


def confirmed_again(request: HttpRequest, operation: str, target: str) -> None:
    """A step-up passed: journaled with the operation and the page the user goes back to."""
    _journal(
        CONFIRMATION,
        actor=request.user,
        user=request.user,
        operation=operation,
        page=urlparse(target).path[:200],
    )


def session_state(request: HttpRequest) -> str:
    state = request.session.get(STATE_KEY)
    if state not in (HAS_DEVICE, NO_DEVICE):
        # A session opened before two-factor sign-in existed: read once, then kept.
        state = HAS_DEVICE if has_device(request.user) else NO_DEVICE
        request.session[STATE_KEY] = state
    return state


def is_verified(request: HttpRequest) -> bool:
    checker = getattr(request.user, "is_verified", None)
    return bool(checker and checker())


def safe_next(request: HttpRequest, default: str = "") -> str:
    """The `next` page (POST or GET), only if it is a path of this site."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    return target if _on_this_site(request, target) else default or reverse("core:home")


def _on_this_site(request: HttpRequest, url: str) -> bool:
    return bool(url) and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )


def _view_of(target: str) -> str:
    try:
        match = resolve(urlparse(target).path)
    except Resolver404:
        return ""
    return f"{match.namespace}:{match.url_name}"


def sensitive_reason(target: str) -> str:
    """Why enrolment is asked before `target` (a path of this site), if it is a sensitive page."""
    return SENSITIVE_VIEWS.get(_view_of(target), "")


def _redirect(request: HttpRequest, name: str) -> HttpResponse:
    return redirect_back(request, reverse(name), "next")


def _ask_again(request: HttpRequest, operation: str) -> HttpResponse:
    """To the verify page in step-up mode, then back to the page the request came from (its
    same-site Referer), where the user asks again: a form or a button is never acted on before
    the code, and a download does not leave the user on the code page. Without a Referer (an
    address typed in), back to the operation's own address."""
    referer = request.headers.get("referer", "")
    if _on_this_site(request, referer):
        parts = urlparse(referer)
        back = parts.path + (f"?{parts.query}" if parts.query else "")
    else:
        back = request.get_full_path()
    query = urlencode({"next": back, CONFIRMING: operation})
    return go_to(request, f"{reverse('mfa:verify')}?{query}")


class TwoFactorMiddleware(Middleware):
    """The gate (after authentication and django-otp's OTPMiddleware, before the charter)."""

    def process_view(
        self, request: HttpRequest, view_func: object, view_args: object, view_kwargs: object
    ) -> HttpResponse | None:
        user = request.user
        if not user.is_authenticated:
            return None
        name = view_name(request)
        if name in EXEMPT_VIEWS:
            return None
        if is_verified(request):
            if name in STEP_UP_VIEWS and not code_is_fresh(request):
                return _ask_again(request, name)
            return None
        if session_state(request) == HAS_DEVICE:
            if has_device(user):
                return _redirect(request, "mfa:verify")
            # The device was removed meanwhile (an administrator's reset).
            request.session[STATE_KEY] = NO_DEVICE
        # The enrolment page says why (the role, or the page asked for: `sensitive_reason`).
        if mfa_required_for(user) or (name in SENSITIVE_VIEWS and settings.PARCOURS_MFA_REQUIRED):
            return _redirect(request, "mfa:enrol")
        return None
