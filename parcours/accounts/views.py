from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.decorators import method_decorator

from parcours.accounts.http import AuthedRequest
from parcours.core.doors import allowed
from parcours.core.pagination import paginate, querystring_without_page

from . import services
from .access import get_user_for, organisations_visible_to, users_visible_to
from .forms import CharterForm, LoginForm, UserFilterForm, UserForm
from .models import Role, User


@method_decorator(login_not_required, name="dispatch")
class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True
    extra_context = {"title": "Connexion"}


@allowed(roles=Role.values, methods=("POST",))
def logout_view(request: AuthedRequest) -> HttpResponse:
    logout(request)
    messages.success(request, "Vous êtes déconnecté.")
    return redirect("accounts:login")


@allowed(roles=Role.values, methods=("GET", "POST"))
def charter(request: AuthedRequest) -> HttpResponse:
    user = request.user
    form = CharterForm(request.POST if request.method == "POST" else None)
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
    )


def _user_form(request: AuthedRequest, instance: User | None) -> HttpResponse:
    admin = request.user
    created = instance is None
    form = UserForm(request.POST if request.method == "POST" else None, instance=instance)
    form.fields["organisation"].queryset = organisations_visible_to(admin)  # type: ignore[attr-defined]
    if request.method == "POST":
        if form.is_valid():
            user = form.save(commit=False)
            services.save_user(
                acting_user=admin,
                user=user,
                created=created,
                changed=[f for f in form.changed_data if f != "password"],
            )
            messages.success(request, f"Le compte « {user.username} » est enregistré.")
            return redirect("accounts:user_edit", public_id=user.public_id)
        status = 400
    else:
        status = 200
    return render(
        request,
        "accounts/user_form.html",
        {
            "title": "Nouvel utilisateur" if created else f"Compte {instance}",
            "form": form,
            "target": instance,
        },
        status=status,
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
