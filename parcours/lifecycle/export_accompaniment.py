"""The right-of-access sections for the accompaniment and the person's space (issues 17, 18):
assessments, plans, referrals, received SMS, check-ins, replies to convocations, the space's
notices and sign-in history. Same shape as export.collect: lists of flat dicts, French labels,
strings only. Withheld: codes, tokens and hashes of the sign-in (never the person's data, only
protections of it), the IP addresses of the sign-in log, SMS of a shared number not attributed
to the person (they may be another's)."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from django.utils import timezone

from parcours.agenda.models import AppointmentReply
from parcours.assessments.models import Assessment, DigitalSelfAssessment
from parcours.checkins.models import Checkin
from parcours.notifications.models import InboundMessage
from parcours.partners.models import Referral
from parcours.plans.models import Plan
from parcours.rules.assessments import answer_label
from parcours.rules.vocabulary import NeedLevel
from parcours.space.models import PersonSession, SignInAttempt, SpaceAccount, SpaceNotice

if TYPE_CHECKING:
    from parcours.people.models import Person

NEED = dict(NeedLevel.choices)
# The judgement's fields (rules.assessments.JUDGEMENT_FIELDS) as the person reads them.
JUDGEMENT_LABELS = (
    ("person_view", "avis de la personne"),
    ("person_level", "besoin selon la personne"),
    ("need", "appréciation du CPIP"),
    ("strengths", "points d'appui"),
    ("reasons", "motifs de l'appréciation"),
)


def date_text(value: date | datetime | None) -> str:
    """A date, or a date and its local time, as the export writes it ("" for none)."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return timezone.localtime(value).strftime("%d/%m/%Y %H:%M")
    return value.strftime("%d/%m/%Y")


_d = date_text


def _yes(value: bool) -> str:
    return "oui" if value else "non"


def _answers(definition: Any, answers: dict[str, Any]) -> dict[str, str]:
    questions = definition.questions
    shown: dict[str, str] = {}
    for qid, value in answers.items():
        question = questions.get(qid)
        text = answer_label(question, value) if question else str(value)
        if text:
            shown[f"Question : {question.label if question else qid}"] = text
    return shown


def assessments(person: Person) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    rows = Assessment.objects.filter(person=person).select_related("questionnaire", "author")
    for a in rows.order_by("created_at", "pk"):
        definition = a.definition
        item: dict[str, Any] = {
            "Évaluation": a.get_kind_display(),
            "Questionnaire": str(a.questionnaire),
            "État": a.get_status_display(),
            "À faire pour le": _d(a.due_on),
            "Terminée le": _d(a.completed_on),
            "Évaluateur": a.author.get_full_name(),
        }
        item.update(_answers(definition, a.answers or {}))
        for code, judgement in (a.judgements or {}).items():
            domain = definition.domain(code)
            name = domain.label if domain else code
            for key, label in JUDGEMENT_LABELS:
                value = str(judgement.get(key) or "")
                if value:
                    item[f"{name} — {label}"] = NEED.get(value, value)
        found.append(item)
    digital = DigitalSelfAssessment.objects.filter(person=person).select_related("questionnaire")
    for s in digital.order_by("filled_on", "pk"):
        item = {
            "Évaluation": "Autoévaluation numérique",
            "Rempli le": _d(s.filled_on),
            "Canal": s.get_channel_display(),
        }
        item.update(_answers(s.definition, s.answers or {}))
        for n, step in enumerate(s.suggestions or [], start=1):
            label = step.get("label", "") if isinstance(step, dict) else str(step)
            item[f"Étape suggérée {n}"] = label
        found.append(item)
    return found


def plans(person: Person) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    rows = Plan.objects.filter(person=person).prefetch_related("goals__steps__partner")
    for plan in rows.order_by("number", "pk"):
        item: dict[str, Any] = {
            "Plan": f"version {plan.number}",
            "État": plan.get_status_display(),
            "Accord de la personne le": _d(plan.agreed_on),
            "Modalité de l'accord": plan.get_agreement_mode_display()
            if plan.agreement_mode
            else "",
            "Les mots de la personne": plan.person_words,
            "En vigueur depuis le": _d(plan.in_force_on),
            "Remplacé le": _d(plan.replaced_on),
        }
        for g, goal in enumerate(sorted(plan.goals.all(), key=lambda x: (x.order, x.pk)), 1):
            item[f"Objectif {g}"] = f"{goal.get_domain_display()} : {goal.text}"
            for s, step in enumerate(sorted(goal.steps.all(), key=lambda x: (x.order, x.pk)), 1):
                who = step.get_actor_display()
                partner = str(step.partner) if step.partner else step.partner_detail
                details = [who + (f" ({partner})" if partner else "")]
                details.append(step.get_status_display())
                details += [f"échéance {_d(step.due_on)}"] if step.due_on else []
                details += [f"fait le {_d(step.done_on)}"] if step.done_on else []
                details += [f"motif : {step.reason}"] if step.reason else []
                item[f"Objectif {g}, étape {s}"] = f"{step.text} — " + ", ".join(details)
        found.append(item)
    return found


def referrals(person: Person) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    rows = Referral.objects.filter(person=person).select_related("partner")
    for r in rows.prefetch_related("sessions").order_by("created_at", "pk"):
        item: dict[str, Any] = {
            "Orientation": r.kind_label,
            "Partenaire": str(r.partner),
            "Statut": r.get_status_display(),
            "Motif de l'orientation": r.reason,
            "Accord de la personne le": _d(r.consent_given_on),
            "Forme de l'accord": r.get_consent_means_display() if r.consent_means else "",
            "Envoyée le": _d(r.sent_at),
            "Motif du statut": r.status_reason,
            "Bilan de fin d'accompagnement": r.end_note,
        }
        for session in sorted(r.sessions.all(), key=lambda x: (x.day, x.pk)):
            text = "présent" if session.attended else "absent"
            text += f", {session.hours} h" if session.hours else ""
            text += f" — {session.note}" if session.note else ""
            item[f"Séance du {_d(session.day)}"] = text
        found.append(item)
    return found


def received_sms(person: Person) -> list[dict[str, Any]]:
    return [
        {
            "Reçu le": _d(m.received_at),
            "Numéro": m.number,
            "Texte": m.text,
            "Mot-clé": m.get_keyword_display(),
            "Suite donnée": m.outcome,
        }
        for m in InboundMessage.objects.filter(person=person).order_by("received_at", "pk")
    ]


def checkins(person: Person) -> list[dict[str, Any]]:
    rows = Checkin.objects.filter(person=person).select_related("plan")
    return [
        {
            "À remplir le": _d(c.due_date),
            "Rythme": c.plan.get_rhythm_display(),
            "Répondu le": _d(c.answered_at),
            "Changement de situation": _yes(c.situation_changed) if c.answered_at else "",
            "Adresse actuelle": c.address,
            "Travail ou formation": c.work,
            "Message libre": c.message,
            "Justificatif": c.proof_name,
            "Revue": c.get_review_display(),
            "Commentaire du CPIP": c.review_comment,
            "Revu le": _d(c.reviewed_at),
        }
        for c in rows.order_by("due_date", "pk")
    ]


def replies(person: Person) -> list[dict[str, Any]]:
    rows = AppointmentReply.objects.filter(appointment__person=person)
    return [
        {
            "Rendez-vous du": _d(r.appointment.starts_at),
            "Réponse": r.get_answer_display(),
            "Motif donné": r.reason,
            "Canal": r.get_channel_display(),
            "Répondu le": _d(r.created_at),
            "Vue par le SPIP le": _d(r.seen_at),
        }
        for r in rows.select_related("appointment").order_by("created_at", "pk")
    ]


def space(person: Person) -> dict[str, Any]:
    """The space: the account's state, the notices, the sign-in history (dates and outcomes)."""
    account = SpaceAccount.objects.filter(person=person).first()
    sessions = PersonSession.objects.filter(person=person).order_by("created_at", "pk")
    attempts = SignInAttempt.objects.filter(person=person).order_by("at", "pk")
    return {
        "compte": {
            "Espace personnel": ("activé" if account.enabled else "désactivé") if account else "",
            "Modifié le": _d(account.changed_at) if account else "",
            "Dernière connexion": _d(account.last_sign_in_at) if account else "",
        },
        "messages": [
            {"Envoyé le": _d(n.created_at), "Message": n.text, "Lu le": _d(n.read_at)}
            for n in SpaceNotice.objects.filter(person=person).order_by("created_at", "pk")
        ],
        "connexions": [
            {"Connexion le": _d(s.created_at), "Fin le": _d(s.ended_at)} for s in sessions
        ],
        "tentatives": [{"Date": _d(a.at), "Étape": a.get_kind_display()} for a in attempts],
    }


def collect(person: Person) -> dict[str, Any]:
    return {
        "evaluations": assessments(person),
        "plans": plans(person),
        "orientations": referrals(person),
        "sms_recus": received_sms(person),
        "controles": checkins(person),
        "reponses_convocations": replies(person),
        "espace_personnel": space(person),
    }


def checkin_files(person: Person) -> list[tuple[str, str]]:
    """(stored path, name in the ZIP) of the files the person attached to a check-in."""
    rows = Checkin.objects.filter(person=person).exclude(proof_path="")
    return [
        (c.proof_path, f"controles/{c.due_date:%Y-%m-%d}-{c.pk}.{c.proof_path.rsplit('.', 1)[-1]}")
        for c in rows.order_by("due_date", "pk")
    ]
