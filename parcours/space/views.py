"""Pages of the person's own space (/espace/, `space_door`) and the CPIP's actions on it
(/espace-personnel/…, through the person's door). No Django session and no `messages` for the
person: what was just done is said by a fixed key in the query string (`?fait=`)."""

from __future__ import annotations

from typing import Any

from django.forms import Form
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from parcours.accounts.http import AuthedRequest
from parcours.assessments.definitions import NUMERIQUE, version_in_force
from parcours.checkins.services import submit_checkin
from parcours.core.context import client_ip
from parcours.core.errors import Refused
from parcours.core.forms_flow import Saved, form_page, posted
from parcours.measures.access import WRITERS, may_edit_measures
from parcours.people.access import PersonAccess, person_door_by_person_id
from parcours.people.models import Person
from parcours.people.panels import person_file_url
from parcours.rules import space as rules
from parcours.rules.vocabulary import ReplyAnswer

from . import selectors, services
from .access import (
    CHALLENGE_COOKIE,
    SESSION_COOKIE,
    drop_space_cookie,
    public_space_view,
    session_open,
    set_space_cookie,
    space_door,
    start_session,
)
from .forms import (
    CheckinAnswerForm,
    CodeForm,
    DigitalSelfForm,
    NoticeForm,
    ProofUploadForm,
    ReplyForm,
    SignInForm,
    SpaceSwitchForm,
)
from .sections import home_cards

DONE = {
    "confirme": "Merci. Votre réponse est enregistrée : vous viendrez au rendez-vous.",
    "empeche": "Merci. Votre conseiller ou votre conseillère est prévenu. "
    "Le rendez-vous reste prévu tant qu'on ne vous a pas donné une autre date.",
    "envoye": "Merci. Votre justificatif est envoyé. Il sera vérifié par le SPIP.",
    "sortie": "Vous êtes déconnecté. À bientôt.",
    "fin": "Votre session est terminée. Pour continuer, demandez un nouveau code.",
    "controle": "Merci. Votre contrôle est envoyé. "
    "Votre conseiller ou votre conseillère va le lire.",
    "merci": "Merci d'avoir répondu au questionnaire.",
}


def _done(request: HttpRequest) -> str:
    return DONE.get(request.GET.get("fait", "") or ("fin" if request.GET.get("fin") else ""), "")


def _space_page(
    request: HttpRequest, template: str, title: str, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    return render(
        request,
        template,
        {
            "title": title,
            "done": _done(request),
            "signed_in": not template.endswith(("sign_in.html", "code.html")),
            **context,
        },
        status=status,
    )


# --- Sign-in ------------------------------------------------------------------------------------


@public_space_view(("GET", "POST"))
def sign_in(request: HttpRequest) -> HttpResponseBase:
    """Step 1: mobile number (or e-mail) and date of birth; a code is sent."""
    if request.method == "GET" and session_open(request):
        return redirect("space:home")
    form = SignInForm(posted(request))
    status, refusal = 200, ""
    if request.method == "POST":
        status = 400
        if form.is_valid():
            result = services.request_code(
                form.cleaned_data["identifier"],
                form.cleaned_data["birth_date"],
                ip=client_ip(request),
            )
            if not result.refusal:
                response = redirect("space:code")
                set_space_cookie(
                    response,
                    CHALLENGE_COOKIE,
                    result.token,
                    int(rules.CODE_VALIDITY.total_seconds()),
                )
                return response
            status, refusal = 429, result.refusal
    return _space_page(
        request,
        "space/sign_in.html",
        "Mon espace personnel",
        {"form": form, "refusal": refusal},
        status,
    )


@public_space_view(("GET", "POST"))
def code(request: HttpRequest) -> HttpResponseBase:
    """Step 2: the 6-digit code."""
    token = request.COOKIES.get(CHALLENGE_COOKIE, "")
    if not services.challenge_exists(token):
        return redirect("space:sign_in")
    form = CodeForm(posted(request))
    status, error, restart = 200, "", False
    if request.method == "POST":
        status = 400
        if form.is_valid():
            check = services.verify_code(token, form.cleaned_data["code"], ip=client_ip(request))
            if check.session_token:
                home_page = redirect("space:home")
                start_session(home_page, check.session_token)
                return home_page
            error, restart = check.error, check.restart
            status = 429 if check.locked else 400
    response = _space_page(
        request,
        "space/code.html",
        "Entrez votre code",
        {"form": form, "error": error, "restart": restart, "sent": services.SENT},
        status,
    )
    if restart:
        drop_space_cookie(response, CHALLENGE_COOKIE)
    return response


@public_space_view(("POST",))
def sign_out(request: HttpRequest) -> HttpResponseBase:
    services.end_session(request.COOKIES.get(SESSION_COOKIE, ""))
    response = redirect(reverse("space:sign_in") + "?fait=sortie")
    drop_space_cookie(response, SESSION_COOKIE)
    return response


# --- The person's pages -------------------------------------------------------------------------


def _referent_name(person: Person) -> str:
    referent = person.referent
    return referent.get_full_name() if referent is not None else ""


@space_door(page="accueil")
def home(request: HttpRequest, person: Person) -> HttpResponse:
    return _space_page(
        request,
        "space/home.html",
        "Mon espace personnel",
        {
            "person": person,
            "referent": _referent_name(person),
            "cards": home_cards(person),
        },
    )


def _appointments_page(
    request: HttpRequest, person: Person, forms: dict[int, ReplyForm], error: str, status: int
) -> HttpResponse:
    rows = [
        (row, forms.get(row.appointment.pk) or ReplyForm(auto_id=f"id_%s_{row.appointment.pk}"))
        for row in selectors.upcoming_appointments(person)
    ]
    context = {"rows": rows, "error": error, "answers": ReplyAnswer}
    return _space_page(request, "space/appointments.html", "Mes rendez-vous", context, status)


@space_door(page="mes rendez-vous")
def appointments(request: HttpRequest, person: Person) -> HttpResponse:
    return _appointments_page(request, person, {}, "", 200)


@space_door(page="réponse à un rendez-vous", methods=("POST",))
def reply(request: HttpRequest, person: Person, public_id: Any) -> HttpResponse:
    appointment = selectors.appointment_of(person, public_id)
    form = ReplyForm(request.POST, auto_id=f"id_%s_{appointment.pk}")
    if form.is_valid():
        try:
            services.answer_appointment(
                person=person,
                appointment=appointment,
                answer=form.cleaned_data["answer"],
                reason=form.cleaned_data["reason"],
            )
        except Refused as refused:
            return _appointments_page(request, person, {}, str(refused), 400)
        answer = form.cleaned_data["answer"]
        return redirect(reverse("space:appointments") + f"?fait={answer}")
    return _appointments_page(request, person, {appointment.pk: form}, "", 400)


def _journal_refused_file(request: HttpRequest, person: Person, form: Form) -> None:
    """A file sent that the form refused is journaled (its name and the reasons), not kept."""
    sent = request.FILES.get("file")
    reasons = [str(e) for e in form.errors.get("file", [])]
    if sent is not None and reasons:
        services.journal_refused_upload(person=person, file_name=sent.name or "", reasons=reasons)


def _proofs_page(
    request: HttpRequest,
    person: Person,
    failed: dict[int, ProofUploadForm],
    status: int,
) -> HttpResponse:
    today = timezone.localdate()
    obligations = selectors.expected_proofs(person, today)
    rows = [(o, failed.get(o.pk) or ProofUploadForm(auto_id=f"id_%s_{o.pk}")) for o in obligations]
    return _space_page(request, "space/proofs.html", "Mes justificatifs", {"rows": rows}, status)


@space_door(page="mes justificatifs")
def proofs(request: HttpRequest, person: Person) -> HttpResponse:
    return _proofs_page(request, person, {}, 200)


@space_door(page="envoi d'un justificatif", methods=("POST",))
def upload(request: HttpRequest, person: Person, public_id: Any) -> HttpResponse:
    obligation = selectors.obligation_of(person, public_id, timezone.localdate())
    form = ProofUploadForm(request.POST, request.FILES, auto_id=f"id_%s_{obligation.pk}")
    if form.is_valid():
        services.send_proof(person=person, obligation=obligation, checked=form.cleaned_data["file"])
        return redirect(reverse("space:proofs") + "?fait=envoye")
    _journal_refused_file(request, person, form)
    return _proofs_page(request, person, {obligation.pk: form}, 400)


@space_door(page="messages du SPIP")
def notices(request: HttpRequest, person: Person) -> HttpResponse:
    shown = selectors.notices(person)
    services.mark_notices_read(person)
    return _space_page(
        request,
        "space/notices.html",
        "Messages de votre conseiller",
        {"notices": shown, "referent": _referent_name(person)},
    )


# --- The CPIP's actions (person file, panel « Espace personnel ») -------------------------------


def _back(person: Person) -> str:
    return person_file_url(person.public_id, "espace-personnel")


@person_door_by_person_id(roles=WRITERS, methods=("GET", "POST"), allow=may_edit_measures)
def staff_switch(request: AuthedRequest, access: PersonAccess) -> HttpResponse:
    """Enable or disable the person's space, after a confirmation page."""
    person = access.person
    account = selectors.account_of(person)
    enabled = bool(account and account.enabled)
    form = SpaceSwitchForm(
        posted(request), initial={"action": "desactiver" if enabled else "activer"}
    )

    def save(form: SpaceSwitchForm) -> Saved:
        turn_on = form.cleaned_data["action"] == "activer"
        services.set_space(acting_user=request.user, person=person, enabled=turn_on)
        text = "L'espace personnel est activé." if turn_on else "L'espace personnel est désactivé."
        return Saved(_back(person), text)

    context = {
        "title": "Espace personnel",
        "person": person,
        "enabled": enabled,
        "refusal": services.space_refusal(person, account),
    }
    return form_page(request, form, "space/staff_switch.html", context, save=save)


@person_door_by_person_id(roles=WRITERS, methods=("GET", "POST"), allow=may_edit_measures)
def staff_notice(request: AuthedRequest, access: PersonAccess) -> HttpResponse:
    """A one-way message shown in the person's space."""
    person = access.person
    form = NoticeForm(posted(request))

    def save(form: NoticeForm) -> Saved:
        services.send_notice(
            acting_user=request.user, person=person, text=form.cleaned_data["text"]
        )
        return Saved(_back(person), "Le message est déposé dans l'espace personnel.")

    context = {"title": "Message dans l'espace personnel", "person": person}
    return form_page(request, form, "space/staff_notice.html", context, save=save)


# --- Remote check-ins (issue 18, item 4) --------------------------------------------------------


def _checkins_page(
    request: HttpRequest,
    person: Person,
    failed: dict[int, CheckinAnswerForm],
    error: str,
    status: int,
) -> HttpResponse:
    due = selectors.due_checkins(person, timezone.localdate())
    rows = [(c, failed.get(c.pk) or CheckinAnswerForm(auto_id=f"id_%s_{c.pk}")) for c in due]
    context = {
        "rows": rows,
        "answered": selectors.answered_checkins(person),
        "today": timezone.localdate(),
        "error": error,
    }
    return _space_page(request, "space/checkins.html", "Mes contrôles à distance", context, status)


@space_door(page="mes contrôles à distance")
def checkins(request: HttpRequest, person: Person) -> HttpResponse:
    return _checkins_page(request, person, {}, "", 200)


@space_door(page="envoi d'un contrôle à distance", methods=("POST",))
def checkin_answer(request: HttpRequest, person: Person, public_id: Any) -> HttpResponse:
    checkin = selectors.checkin_of(person, public_id)
    if not checkin.plan.active:
        return _checkins_page(request, person, {}, "Ce contrôle n'est plus demandé.", 400)
    form = CheckinAnswerForm(request.POST, request.FILES, auto_id=f"id_%s_{checkin.pk}")
    if form.is_valid():
        try:
            submit_checkin(checkin, form.answers(), form.cleaned_data.get("file") or None)
        except Refused as refused:
            return _checkins_page(request, person, {}, str(refused), 400)
        return redirect(reverse("space:checkins") + "?fait=controle")
    _journal_refused_file(request, person, form)
    return _checkins_page(request, person, {checkin.pk: form}, "", 400)


# --- The digital-skills self-assessment (issue 18, item 2; issue 17, item 4) --------------------


@space_door(page="mon autoévaluation numérique", methods=("GET", "POST"))
def digital(request: HttpRequest, person: Person) -> HttpResponse:
    definition = version_in_force(NUMERIQUE, timezone.localdate()).definition
    last = selectors.last_digital(person)
    again = services.next_digital_date(last.filled_on if last else None)
    form = DigitalSelfForm(posted(request), definition=definition)
    status, error = 200, ""
    if request.method == "POST":
        status = 400
        if again is not None:
            status, error = 409, "Vous avez déjà répondu à ce questionnaire ce mois-ci."
        elif form.is_valid():
            try:
                services.send_digital_self_assessment(person=person, answers=form.answers())
            except Refused as refused:
                error = str(refused)
            else:
                return redirect(reverse("space:digital") + "?fait=merci")
    return _space_page(
        request,
        "space/digital.html",
        "Mon autoévaluation numérique",
        {
            "definition": definition,
            "form": form,
            "last": last,
            "again": again,
            "suggestions": selectors.simple_suggestions(last) if last and again else [],
            "error": error,
        },
        status,
    )
