"""Pages of two-factor sign-in: the code after the password, enrolment, the user's own page
("Double authentification") and an administrator's reset of a lost device. The logic lives in
parcours/accounts/mfa.py."""

from __future__ import annotations

from urllib.parse import urlencode
from uuid import UUID

from django.conf import settings
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from parcours.accounts.http import AuthedRequest
from parcours.core.doors import allowed
from parcours.core.forms_flow import posted

from . import mfa, sessions
from .access import get_user_for
from .mfa_forms import CodeForm, EnrolForm
from .models import NO_ROLE, Role

# Every signed-in account, one without a role included (its own second factor, before its role
# is granted; the header's link leads here for everyone).
ANY_ROLE = (*Role.values, NO_ROLE)


@allowed(roles=ANY_ROLE, methods=("GET", "POST"))
def verify(request: AuthedRequest) -> HttpResponse:
    """The second step of sign-in: a code of the app, or a recovery code."""
    user = request.user
    target = mfa.safe_next(request)
    # A step-up (mfa.STEP_UP_VIEWS: a bulk export, an account's security) asks a user already
    # verified again, when the last code is older than PARCOURS_STEP_UP_SECONDS.
    operation = request.GET.get(mfa.CONFIRMING, "")
    reason = mfa.STEP_UP_VIEWS.get(operation, "")
    verified = mfa.is_verified(request) and not (reason and not mfa.code_is_fresh(request))
    if verified or not mfa.has_device(user):
        request.session[mfa.STATE_KEY] = mfa.HAS_DEVICE if mfa.has_device(user) else mfa.NO_DEVICE
        return redirect(target)
    form = CodeForm(posted(request))
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            check = mfa.verify(
                user, form.cleaned_data["code"], step="confirmation" if reason else "connexion"
            )
            if check.ok:
                mfa.session_verified(request, check.device)
                if reason:
                    mfa.confirmed_again(request, operation, target)
                    minutes = max(1, settings.PARCOURS_STEP_UP_SECONDS // 60)
                    messages.success(
                        request, f"Identité confirmée pour {minutes} min : vous pouvez poursuivre."
                    )
                if check.recovery_left is not None:
                    messages.warning(
                        request,
                        "Vous avez utilisé un code de secours ; il vous en reste "
                        f"{check.recovery_left}. Générez-en de nouveaux depuis la page "
                        "« Double authentification ».",
                    )
                return redirect(target)
            form.add_error("code", check.error)
            status = 429 if check.throttled else 400
    return render(
        request,
        "accounts/mfa/verify.html",
        {"title": "Code de vérification", "form": form, "next": target, "reason": reason},
        status=status,
    )


@allowed(roles=ANY_ROLE, methods=("GET", "POST"))
def enrol(request: AuthedRequest) -> HttpResponse:
    """Enrolment: scan the QR code (or type the key), confirm with a code; the recovery codes
    are shown once, on the answer of that confirmation."""
    user = request.user
    target = mfa.safe_next(request)
    if mfa.has_device(user):
        if not mfa.is_verified(request):
            return redirect(f"{reverse('mfa:verify')}?{urlencode({'next': target})}")
        messages.info(request, "La double authentification est déjà activée sur votre compte.")
        return redirect("mfa:settings")
    device = mfa.pending_device(user)
    form = EnrolForm(posted(request))
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            check, codes = mfa.confirm_enrolment(user, device, form.cleaned_data["code"])
            if check.ok:
                mfa.session_verified(request, check.device)
                # A session opened before, by someone else, would go on without the code.
                sessions.end_sessions(
                    user=user,
                    keep_key=request.session.session_key,
                    reason="activation de la double authentification",
                )
                return render(
                    request,
                    "accounts/mfa/recovery_codes.html",
                    {"title": "Codes de secours", "codes": codes, "next": target, "new": True},
                )
            form.add_error("code", check.error)
            status = 429 if check.throttled else 400
    return render(
        request,
        "accounts/mfa/enrol.html",
        {
            "title": "Activer la double authentification",
            "form": form,
            "qr_svg": mfa.qr_svg(device),
            "manual_key": mfa.manual_key(device),
            "next": target,
            "required": mfa.mfa_required_for(user),
            "reason": mfa.sensitive_reason(target) if settings.PARCOURS_MFA_REQUIRED else "",
        },
        status=status,
    )


@allowed(roles=ANY_ROLE)
def settings_page(request: AuthedRequest) -> HttpResponse:
    user = request.user
    device = mfa.confirmed_totp(user)
    return render(
        request,
        "accounts/mfa/settings.html",
        {
            "title": "Double authentification",
            "device": device,
            "codes_left": mfa.recovery_codes_left(user) if device else 0,
            "required": mfa.mfa_required_for(user),
        },
    )


@allowed(roles=ANY_ROLE, methods=("POST",))
def regenerate_codes(request: AuthedRequest) -> HttpResponse:
    user = request.user
    if not mfa.has_device(user):
        messages.error(request, "Activez d'abord la double authentification.")
        return redirect("mfa:settings")
    codes = mfa.regenerate_recovery_codes(user)
    return render(
        request,
        "accounts/mfa/recovery_codes.html",
        {"title": "Codes de secours", "codes": codes, "next": reverse("mfa:settings")},
    )


@allowed(roles=ANY_ROLE, methods=("POST",))
def remove(request: AuthedRequest) -> HttpResponse:
    """Remove one's own device. For a role that requires two factors, enrolment follows at once
    (a new phone): the gate sends the user there on the next page anyway."""
    user = request.user
    if not mfa.remove_devices(acting_user=user, user=user):
        messages.error(request, "La double authentification n'est pas activée sur votre compte.")
        return redirect("mfa:settings")
    request.session[mfa.STATE_KEY] = mfa.NO_DEVICE
    if mfa.mfa_required_for(user):
        messages.info(
            request,
            "Votre fonction exige la double authentification : enregistrez dès maintenant "
            "votre nouvel appareil.",
        )
        return redirect("mfa:enrol")
    messages.success(request, "La double authentification est désactivée sur votre compte.")
    return redirect("mfa:settings")


@allowed(roles=(Role.ADMIN,), methods=("GET", "POST"))
def admin_reset(request: AuthedRequest, public_id: UUID) -> HttpResponse:
    """An administrator removes the device of a user who lost it; the user enrols again at
    the next sign-in (journaled: who, whom)."""
    target = get_user_for(request.user, public_id)
    if request.method == "POST":
        if mfa.remove_devices(acting_user=request.user, user=target):
            messages.success(
                request,
                f"La double authentification de « {target.username} » est réinitialisée : "
                "le compte enregistrera un nouvel appareil à sa prochaine connexion.",
            )
        else:
            messages.info(
                request, f"« {target.username} » n'avait pas de double authentification active."
            )
        return redirect("mfa:admin_reset", public_id=target.public_id)
    return render(
        request,
        "accounts/mfa/admin_reset.html",
        {
            "title": f"Double authentification de {target}",
            "target": target,
            "device": mfa.confirmed_totp(target),
        },
    )
