from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.contrib.auth import logout, update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.decorators import method_decorator

from parcours.accounts.http import AuthedRequest
from parcours.core.doors import allowed
from parcours.core.errors import Refused
from parcours.core.forms_flow import Saved, form_page, posted
from parcours.core.pagination import paginate, querystring_without_page
from parcours.rules.roles import MANAGER_ROLES

from . import services, sessions
from .access import (
    get_pending_grant_for,
    get_user_for,
    organisations_visible_to,
    pending_grants_for,
    users_visible_to,
)
from .forms import (
    ChangePasswordForm,
    CharterForm,
    DefinePasswordForm,
    EndSessionsForm,
    LoginForm,
    RoleDecisionForm,
    UserFilterForm,
    UserForm,
)
from .models import NO_ROLE, Role, User

# Every signed-in account, with a role or without one yet (a pending role request).
ANY_ACCOUNT = (*Role.values, NO_ROLE)
GRANT_DECIDERS = (Role.ADMIN, *MANAGER_ROLES)


@method_decorator(login_not_required, name="dispatch")
class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True
    extra_context = {"title": "Connexion"}


@allowed(roles=ANY_ACCOUNT, methods=("POST",))
def logout_view(request: AuthedRequest) -> HttpResponse:
    logout(request)
    messages.success(request, "Vous êtes déconnecté.")
    return redirect("accounts:login")


@allowed(roles=ANY_ACCOUNT, methods=("GET", "POST"))
def charter(request: AuthedRequest) -> HttpResponse:
    user = request.user
    form = CharterForm(posted(request))
    if request.method == "POST" and form.is_valid():
        services.accept_charter(user=user)
        messages.success(request, "Merci. Vous avez accepté la charte d'utilisation.")
        return redirect("core:home")
    return render(
        request,
        "accounts/charter.html",
        {"form": form, "title": "Charte d'utilisation", "accepted": user.charter_accepted_at},
        status=400 if request.method == "POST" else 200,
    )


@allowed(roles=ANY_ACCOUNT, methods=("GET", "POST"))
def my_sessions(request: AuthedRequest) -> HttpResponse:
    """The user's open sessions; another one, or all the others, ended (accounts.sessions)."""
    user = request.user
    current = request.session.session_key
    form = EndSessionsForm(posted(request))
    if request.method == "POST" and form.is_valid():
        ended = sessions.end_sessions(
            user=user,
            keep_key=current,
            only=form.cleaned_data["session"] or None,
            reason="fermeture par l'utilisateur",
        )
        messages.success(
            request,
            f"{ended} session{'s' if ended > 1 else ''} fermée{'s' if ended > 1 else ''}."
            if ended
            else "Cette session était déjà fermée.",
        )
        return redirect("accounts:sessions")
    return render(
        request,
        "accounts/sessions.html",
        {"title": "Mes sessions", "sessions": sessions.open_sessions(user, current), "form": form},
        status=400 if request.method == "POST" else 200,
    )


CHANGE_TRIES_KEY = "parcours_change_tries"  # wrong current passwords given in this session


@allowed(roles=ANY_ACCOUNT, methods=("GET", "POST"))
def password_change(request: AuthedRequest) -> HttpResponse:
    """The signed-in user changes their own password (current one first). This session stays
    open, the others end; after PASSWORD_CHANGE_TRIES wrong current passwords this session
    ends too (the sign-in lockout does not guard this form)."""
    user = request.user
    form = ChangePasswordForm(user, request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if form.is_valid():
            before = request.session.session_key
            form.save()
            update_session_auth_hash(request, user)  # a new session key for this session
            request.session.pop(CHANGE_TRIES_KEY, None)
            services.password_changed(
                user=user, old_key=before, new_key=request.session.session_key
            )
            messages.success(
                request, "Votre mot de passe est changé. Vos autres sessions sont fermées."
            )
            return redirect("mfa:settings")
        if form.has_error("old_password", code="password_incorrect"):
            tries = int(request.session.get(CHANGE_TRIES_KEY, 0)) + 1
            request.session[CHANGE_TRIES_KEY] = tries
            services.wrong_current_password(user=user, tries=tries)
            if tries >= services.PASSWORD_CHANGE_TRIES:
                logout(request)
                return redirect(f"{reverse('accounts:login')}?fermee=1")
    return render(
        request,
        "accounts/password_change.html",
        {"title": "Changer mon mot de passe", "form": form},
        status=400 if request.method == "POST" else 200,
    )


@allowed(roles=(Role.ADMIN,))
def user_list(request: AuthedRequest) -> HttpResponse:
    admin = request.user
    form = UserFilterForm(request.GET or None)
    users = users_visible_to(admin)
    if form.is_valid():
        q = form.cleaned_data["q"].strip()
        if q:
            users = users.filter(
                Q(username__icontains=q) | Q(last_name__icontains=q) | Q(first_name__icontains=q)
            )
        if form.cleaned_data["role"]:
            users = users.filter(role=form.cleaned_data["role"])
        if form.cleaned_data["actif"] in ("0", "1"):
            users = users.filter(is_active=form.cleaned_data["actif"] == "1")
    page = paginate(request, users.order_by("last_name", "first_name", "pk"))
    return render(
        request,
        "accounts/user_list.html",
        {
            "title": "Utilisateurs",
            "form": form,
            "page": page,
            "querystring": querystring_without_page(request),
        },
        # A bad filter (an unknown role, a forged value) is the caller's error, as on the caseload.
        status=400 if form.is_bound and not form.is_valid() else 200,
    )


def _user_form(request: AuthedRequest, instance: User | None) -> HttpResponse:
    admin = request.user
    created = instance is None
    form = UserForm(posted(request), instance=instance, acting_user=admin)
    form.fields["organisation"].queryset = organisations_visible_to(admin)  # type: ignore[attr-defined]
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            user = form.save(commit=False)
            try:
                grant = services.save_user(
                    acting_user=admin, user=user, created=created, changed=form.changed_data
                )
            except Refused as refusal:
                form.add_error(None, str(refusal))
            else:
                messages.success(request, f"Le compte « {user.username} » est enregistré.")
                if grant is not None:
                    messages.info(
                        request,
                        f"Le rôle « {grant.get_role_display()} » ({grant.organisation}) est "
                        "demandé : il prendra effet après validation par une seconde personne "
                        "(un DPIP ou DFSPIP du service, ou un autre administrateur).",
                    )
                if created:
                    _send_link(request, user, new_account=True)
                return redirect("accounts:user_edit", public_id=user.public_id)
    return render(
        request,
        "accounts/user_form.html",
        {
            "title": "Nouvel utilisateur" if created else f"Compte {instance}",
            "form": form,
            "target": instance,
            "pending": instance.role_grants.filter(decision="en_attente").first()
            if instance is not None
            else None,
        },
        status=status,
    )


def _send_link(request: AuthedRequest, user: User, *, new_account: bool) -> None:
    try:
        services.send_reset_link(acting_user=request.user, user=user, new_account=new_account)
    except Refused as refusal:
        messages.error(request, str(refusal))
    except OSError:
        messages.error(
            request, "Le courriel n'a pas pu être envoyé. Réessayez dans quelques minutes."
        )
    else:
        messages.success(
            request, f"Un lien pour définir le mot de passe a été envoyé à {user.email}."
        )


@allowed(roles=(Role.ADMIN,), methods=("GET", "POST"))
def user_create(request: AuthedRequest) -> HttpResponse:
    return _user_form(request, None)


@allowed(roles=(Role.ADMIN,), methods=("GET", "POST"))
def user_edit(request: AuthedRequest, public_id: UUID) -> HttpResponse:
    target = get_user_for(request.user, public_id)
    return _user_form(request, target)


@allowed(roles=(Role.ADMIN,), methods=("GET", "POST"))
def user_deactivate(request: AuthedRequest, public_id: UUID) -> HttpResponse:
    admin = request.user
    target = get_user_for(admin, public_id)
    if request.method == "POST":
        if target.pk == admin.pk:
            messages.error(request, "Vous ne pouvez pas désactiver votre propre compte.")
            return redirect("accounts:user_edit", public_id=target.public_id)
        if target.is_active:
            services.deactivate_user(acting_user=admin, user=target)
            messages.success(
                request,
                f"Le compte « {target.username} » est désactivé ; ses sessions sont closes.",
            )
        else:
            services.reactivate_user(acting_user=admin, user=target)
            messages.success(request, f"Le compte « {target.username} » est réactivé.")
        return redirect("accounts:user_edit", public_id=target.public_id)
    return render(
        request,
        "accounts/user_deactivate.html",
        {"title": "Confirmer", "target": target},
    )


@allowed(roles=(Role.ADMIN,), methods=("POST",))
def user_reset_link(request: AuthedRequest, public_id: UUID) -> HttpResponse:
    """Sends the account a password-reset link: an administrator never sets a password."""
    target = get_user_for(request.user, public_id)
    _send_link(request, target, new_account=False)
    return redirect("accounts:user_edit", public_id=target.public_id)


@allowed(roles=GRANT_DECIDERS)
def role_requests(request: AuthedRequest) -> HttpResponse:
    grants = pending_grants_for(request.user)
    return render(
        request,
        "accounts/role_requests.html",
        {"title": "Demandes d'attribution de rôle", "grants": list(grants[:200])},
    )


@allowed(roles=GRANT_DECIDERS, methods=("GET", "POST"))
def role_request_decide(request: AuthedRequest, public_id: UUID) -> HttpResponse:
    grant = get_pending_grant_for(request.user, public_id)
    form = RoleDecisionForm(posted(request))

    def save(form: RoleDecisionForm) -> Saved:
        approve = form.cleaned_data["decision"] == "valider"
        services.decide_role_grant(
            acting_user=request.user,
            grant=grant,
            approve=approve,
            reason=form.cleaned_data["reason"],
        )
        if approve:
            done = f"Le rôle « {grant.get_role_display()} » est attribué à {grant.user}."
        else:
            done = f"La demande pour {grant.user} est rejetée."
        return Saved(reverse("accounts:role_requests"), done)

    return form_page(
        request,
        form,
        "accounts/role_request_decide.html",
        {"title": "Décider d'une demande de rôle", "grant": grant},
        save=save,
    )


@method_decorator(login_not_required, name="dispatch")
class PasswordSetView(auth_views.PasswordResetConfirmView):
    """The user sets their own password from the e-mailed link (Django's token check)."""

    template_name = "accounts/password_set.html"
    form_class = DefinePasswordForm
    success_url = reverse_lazy("accounts:password_reset_complete")
    extra_context = {"title": "Définir votre mot de passe"}

    def form_valid(self, form: DefinePasswordForm) -> HttpResponse:
        response = super().form_valid(form)
        services.password_set(user=form.user)
        return response


@method_decorator(login_not_required, name="dispatch")
class PasswordSetDoneView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_set_done.html"
    extra_context = {"title": "Mot de passe enregistré"}
