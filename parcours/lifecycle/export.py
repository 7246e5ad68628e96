"""The person's data export, for the service answering a right-of-access request (loi n° 78-17,
title III, art. 104 ff., the rules of directive 2016/680 for penal processing; indirect access
through the CNIL, art. 108, when the rights are restricted): a ZIP of a PDF to read, a JSON of
the same data, and the files the person handed in (justificatifs).

What is withheld (docs/adr/0015): what identifies or locates a third party — the obligations'
parameters naming a person (victim, co-defendant) and, for bans (interdictions), the places and
zones (a victim's home, a no-go area around it); the beneficiaries of compensation. The journal
of consultations gives each reader's role and service, not their name. Everything else held is
given, sensitive notes included, marked for a second reading before the answer is sent.

`export_person(acting_user, person, origin, reference)` journals DROIT_ACCES and returns
(filename, bytes)."""

from __future__ import annotations

import io
import json
import zipfile
from typing import TYPE_CHECKING, Any

from django.http import Http404
from django.utils import timezone

from parcours.agenda.models import Appointment
from parcours.audit.models import AuditEvent
from parcours.audit.services import record
from parcours.detention.models import Ecrou
from parcours.documents.model import Bullets, Document, Header, KeyValues, Paragraph, Section
from parcours.documents.render import build_pdf
from parcours.measures.selectors import expected_ends
from parcours.obligations import storage
from parcours.obligations.models import Obligation, Proof
from parcours.rules.vocabulary import AuditAction, ObligationCategory

from . import export_accompaniment

if TYPE_CHECKING:
    from parcours.accounts.models import User
    from parcours.people.models import Person

WITHHELD = "[retenu : concerne un tiers]"
# Parameter types that name a third party, and, for bans, those that locate one.
THIRD_PARTY_TYPES = frozenset({"person"})
BAN_LOCATION_TYPES = frozenset({"place", "zone"})
# Not filed as bans in the catalogue, but their place is the victim's home (CP 132-45 18°).
VICTIM_HOME_CODES = frozenset({"cp_132_45_18"})


_d = export_accompaniment.date_text


def withheld_parameter(obligation: Obligation, definition: dict[str, Any]) -> bool:
    kind = definition.get("type", "")
    if kind in THIRD_PARTY_TYPES:
        return True
    kind_of_obligation = obligation.obligation_type
    return kind in BAN_LOCATION_TYPES and (
        kind_of_obligation.category == ObligationCategory.INTERDICTION
        or kind_of_obligation.code in VICTIM_HOME_CODES
    )


def _parameters(obligation: Obligation) -> dict[str, str]:
    values = obligation.parameters or {}
    shown: dict[str, str] = {}
    for definition in obligation.obligation_type.parameter_definitions:
        name = definition.get("name", "")
        if name not in values or values[name] in ("", None):
            continue
        label = definition.get("label", name)
        shown[label] = WITHHELD if withheld_parameter(obligation, definition) else str(values[name])
    return shown


def _length(years: int, months: int, days: int) -> str:
    parts = [f"{years} an(s)" if years else "", f"{months} mois" if months else ""]
    parts.append(f"{days} jour(s)" if days else "")
    return " ".join(p for p in parts if p)


def _detention(person: Person) -> list[dict[str, Any]]:
    """The detention record (issue 15): each écrou with its sentences, custody to deduct,
    reduction decisions, sanctions and transfers."""
    found = []
    ecrous = Ecrou.objects.filter(person=person).select_related("establishment")
    for e in ecrous.prefetch_related(
        "sentences", "prior_custody", "reductions", "sanctions", "transfers__to_establishment"
    ):
        item: dict[str, Any] = {
            "Écrou": f"n° {e.number} — {e.establishment}",
            "Date d'écrou": _d(e.start),
            "Libération": _d(e.released_on),
            "Mode de sortie": e.get_release_kind_display() if e.release_kind else "",
        }
        for s in e.sentences.all():
            item[f"Peine n° {s.rank}"] = (
                f"{_length(s.years, s.months, s.days)}, {s.get_nature_display()}"
                + (f", définitive le {_d(s.definitive_on)}" if s.definitive_on else "")
                + (f" — {s.court} {_d(s.judged_on)} {s.offence}".rstrip() if s.court else "")
            )
        for c in e.prior_custody.all():
            item[f"Détention à imputer du {_d(c.start)}"] = f"{c.get_kind_display()}, {c.days} j"
        for r in e.reductions.all():
            what = "retrait" if r.withdrawn else "octroi"
            amount = _length(0, r.months, r.days)
            item[f"{r.get_kind_display()} du {_d(r.granted_on)}"] = f"{what} : {amount}"
        for sanction in e.sanctions.all():
            item[f"Sanction disciplinaire du {_d(sanction.on)}"] = sanction.description or "—"
        for t in e.transfers.all():
            item[f"Transfert du {_d(t.on)}"] = str(t.to_establishment)
        found.append(item)
    return found


def collect(person: Person) -> dict[str, Any]:
    """Everything Parcours holds about the person, as JSON-ready French labels and strings."""
    data: dict[str, Any] = {
        "identite": {
            "Nom d'usage": person.last_name,
            "Nom de naissance": person.birth_name,
            "Prénoms": person.first_names,
            "Alias": person.aliases,
            "Date de naissance": _d(person.birth_date),
            "Lieu de naissance": person.birth_place,
            "Pays de naissance": person.birth_country,
            "Sexe": person.get_sex_display(),
            "Nationalité": person.nationality,
            "Langues parlées": person.languages,
            "Téléphone": person.phone,
            "Adresse électronique": person.email,
            "Refuse les SMS": "oui" if person.refuses_sms else "non",
            "Hébergement": person.get_housing_display(),
            "Numéro APPI": person.appi_number,
            "Service": str(person.spip),
            "Antenne": str(person.antenna or ""),
            "CPIP référent": person.referent.get_full_name() if person.referent else "",
            "Dossier créé le": _d(person.created_at),
        },
        "adresses": [
            {"Adresse": str(a), "Depuis le": _d(a.since), "Jusqu'au": _d(a.until)}
            for a in person.addresses.all()
        ],
        "changements_spip": [
            {
                "Demandé le": _d(h.created_at),
                "Service d'origine": h.from_spip.name,
                "SPIP destinataire": h.to_spip.name,
                "Motif": h.reason,
                "Nouvelle adresse": h.new_address,
                "État": h.get_status_display(),
                "Décidé le": _d(h.decided_at),
            }
            for h in person.handovers.select_related("from_spip", "to_spip")
        ],
        "incarcerations": [
            {"Période": p.summary, "Établissement": p.establishment}
            for p in person.incarceration_periods.all()
        ],
        "detention": _detention(person),
        "mesures": [],
        "rendez_vous": [],
        "manquements": [
            {
                "Date": _d(b.occurred_on),
                "Type": b.get_kind_display(),
                "Faits": b.facts,
                "Suite retenue": b.get_chosen_step_display(),
                "État": b.get_followup_status_display(),
            }
            for b in person.breaches.all()
        ],
        "registres": [],
        "notes": [],
        "rapports": [],
        "messages": [
            {
                "Date": _d(m.created_at),
                "Canal": m.get_channel_display(),
                "Destinataire": m.recipient,
                "Texte": m.body,
                "État": m.get_state_display(),
            }
            for m in person.messages.all()
        ],
        "journal_des_consultations": [],
        "retenu": [
            "Paramètres des obligations désignant un tiers (victime, autre personne) et, pour "
            "les interdictions, lieux et zones (domicile d'une victime).",
            "Identité des bénéficiaires d'une indemnisation.",
            "Noms des agents ayant consulté le dossier (leur rôle et leur service sont donnés).",
            "Espace personnel : codes de connexion, jetons et empreintes (protections du compte, "
            "jamais transmis), adresses IP du journal des connexions.",
            "SMS reçus d'un numéro partagé et non rattachés à la personne (ils peuvent venir "
            "d'un tiers).",
        ],
    }
    data.update(export_accompaniment.collect(person))
    ends = expected_ends(person.pk)
    for measure in person.measures.select_related("measure_type", "tribunal"):
        obligations = Obligation.objects.filter(measure=measure).select_related("obligation_type")
        end = ends.get(measure.pk)
        data["mesures"].append(
            {
                "Mesure": str(measure.measure_type),
                "Juridiction": str(measure.tribunal or ""),
                "Jugement du": _d(measure.judgment_date),
                "Début": _d(measure.start_date),
                "Date de fin saisie": _d(measure.end_date),
                "Fin prévue (calculée)": _d(end.day) if end is not None and end.computed else "",
                "Fin effective": _d(measure.ended_on),
                "Statut": measure.get_status_display(),
                "Issue": measure.get_outcome_display(),
                "obligations": [
                    {
                        "Obligation": str(o),
                        "Du": _d(o.start_date),
                        "Au": _d(o.end_date),
                        "Paramètres": _parameters(o),
                        "Justificatifs": [
                            {
                                "Reçu le": _d(p.received_on),
                                "Nature": p.get_kind_display(),
                                "Fichier": p.original_name,
                                "Statut": p.get_status_display(),
                                "Motif": p.decision_reason,
                            }
                            for p in o.proofs.all()
                        ],
                    }
                    for o in obligations
                ],
            }
        )
    for appointment in Appointment.objects.filter(person=person).select_related(
        "appointment_type", "place"
    ):
        data["rendez_vous"].append(
            {
                "Date": _d(appointment.starts_at),
                "Type": str(appointment.appointment_type),
                "Lieu": str(appointment.place),
                "Statut": appointment.get_status_display(),
                "Motif": appointment.outcome_reason,
                "Commentaire": appointment.comment,
            }
        )
    for tig in person.tig_ledgers.all():
        data["registres"].append(
            {
                "Registre": "Travail d'intérêt général",
                "Structure d'accueil": tig.host_structure,
                "Heures ordonnées": str(tig.hours_ordered),
                "Heures effectuées": str(sum(s.hours for s in tig.sessions.all())),
            }
        )
    for ledger in person.compensation_ledgers.all():
        data["registres"].append(
            {
                "Registre": "Indemnisation",
                "Bénéficiaire": WITHHELD,
                "Montant ordonné (€)": str(ledger.amount_ordered),
                "Versements (€)": str(sum(p.amount for p in ledger.payments.all())),
            }
        )
    for note in person.notes.select_related("author"):
        data["notes"].append(
            {
                "Date": _d(note.event_date),
                "Type": note.get_kind_display(),
                "Auteur": note.author.get_full_name(),
                "Sensible (à relire avant communication)": "oui" if note.sensitive else "non",
                "Texte": note.body_text,
            }
        )
    for report in person.reports.all():
        content = report.content or {}
        data["rapports"].append(
            {
                "Rapport": report.get_kind_display(),
                "Statut": report.get_status_display(),
                "Créé le": _d(report.created_at),
                "Contenu": {str(k): str(v) for k, v in content.items()},
                "Décision": report.decision,
            }
        )
    events = AuditEvent.objects.filter(person_public_id=person.public_id).order_by("at", "id")
    for event in events:
        data["journal_des_consultations"].append(
            {
                "Date": _d(event.at),
                "Action": event.get_action_display(),
                "Rôle": event.actor_role,
                "Service": event.actor_organisation,
                "Motif": event.motif,
            }
        )
    return data


def _rows(item: dict[str, Any]) -> list[tuple[str, str]]:
    return [(k, v) for k, v in item.items() if isinstance(v, str) and v]


def document(person: Person, data: dict[str, Any], origin: str, reference: str) -> Document:
    sections: list[Section] = [
        Section("Identité", [KeyValues(_rows(data["identite"]))]),
    ]

    def listed(heading: str, items: list[dict[str, Any]]) -> None:
        blocks: list[Any] = []
        for item in items:
            blocks.append(KeyValues(_rows(item)))
        sections.append(Section(heading, blocks or [Paragraph("Aucun élément.")]))

    listed("Adresses", data["adresses"])
    listed("Changements de SPIP", data["changements_spip"])
    listed("Périodes d'incarcération", data["incarcerations"])
    listed("Détention (écrous, peines, réductions)", data["detention"])
    measure_blocks: list[Any] = []
    for measure in data["mesures"]:
        measure_blocks.append(KeyValues(_rows(measure)))
        for obligation in measure["obligations"]:
            rows = _rows(obligation) + list(obligation["Paramètres"].items())
            rows += [
                (f"Justificatif du {p['Reçu le']}", f"{p['Nature']} — {p['Statut']}")
                for p in obligation["Justificatifs"]
            ]
            measure_blocks.append(KeyValues(rows))
    sections.append(Section("Mesures et obligations", measure_blocks or [Paragraph("Aucune.")]))
    listed("Rendez-vous", data["rendez_vous"])
    listed("Manquements", data["manquements"])
    listed("Registres", data["registres"])
    listed("Notes de suivi", data["notes"])
    report_blocks: list[Any] = []
    for report in data["rapports"]:
        report_blocks.append(KeyValues(_rows(report) + list(report["Contenu"].items())))
    sections.append(Section("Rapports", report_blocks or [Paragraph("Aucun.")]))
    listed("Messages envoyés", data["messages"])
    # Issues 17 and 18: the accompaniment and the person's space.
    listed("Évaluations", data["evaluations"])
    listed("Plans d'accompagnement", data["plans"])
    listed("Orientations vers les partenaires", data["orientations"])
    listed("SMS reçus", data["sms_recus"])
    listed("Contrôles à distance", data["controles"])
    listed("Réponses aux convocations", data["reponses_convocations"])
    space = data["espace_personnel"]
    space_blocks: list[Any] = [KeyValues(_rows(space["compte"]))] if _rows(space["compte"]) else []
    space_blocks += [KeyValues(_rows(notice)) for notice in space["messages"]]
    if space["connexions"]:
        space_blocks.append(Paragraph("Connexions à l'espace (début, fin) :"))
        space_blocks.append(
            KeyValues([(c["Connexion le"], c["Fin le"]) for c in space["connexions"]])
        )
    if space["tentatives"]:
        space_blocks.append(Paragraph("Journal des connexions :"))
        space_blocks.append(KeyValues([(t["Date"], t["Étape"]) for t in space["tentatives"]]))
    sections.append(Section("Espace personnel", space_blocks or [Paragraph("Aucun élément.")]))
    listed("Journal des consultations du dossier", data["journal_des_consultations"])
    sections.append(Section("Éléments retenus", [Bullets(data["retenu"])]))
    return Document(
        header=Header(service=str(person.spip)),
        title="Communication des données à caractère personnel",
        date_line=f"Établi le {timezone.localdate():%d/%m/%Y}",
        references=[f"Demande : {origin} — {reference}", f"Dossier {person.public_id}"],
        sections=sections,
        footer="Document confidentiel — droit d'accès (loi n° 78-17, titre III)",
        metadata={"subject": "Droit d'accès"},
    )


def export_person(
    *, acting_user: User, person: Person, origin: str, origin_label: str, reference: str
) -> tuple[str, bytes]:
    data = collect(person)
    pdf = build_pdf(document(person, data, origin_label, reference))
    buffer = io.BytesIO()
    proofs = Proof.objects.filter(obligation__measure__person=person).exclude(stored_path="")
    files = missing = 0
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("donnees.pdf", pdf)
        archive.writestr("donnees.json", json.dumps(data, ensure_ascii=False, indent=1))
        for proof in proofs:
            try:
                path = storage.resolve(proof.stored_path)
            except Http404:  # a file missing on disk: listed in the JSON, not in the ZIP
                missing += 1
                continue
            extension = proof.stored_path.rsplit(".", 1)[-1]
            archive.write(
                path, f"justificatifs/{proof.received_on:%Y-%m-%d}-{proof.pk}.{extension}"
            )
            files += 1
        for stored, name in export_accompaniment.checkin_files(person):
            try:
                archive.write(storage.resolve(stored), name)
            except Http404:
                missing += 1
                continue
            files += 1
    record(
        AuditAction.DROIT_ACCES,
        actor=acting_user,
        obj=person,
        person=person,
        object_label="Communication des données (droit d'accès)",
        motif=origin,
        motif_detail=reference,
        details={"notes": len(data["notes"]), "justificatifs": files, "manquants": missing},
    )
    return f"droit-acces-{person.public_id}.zip", buffer.getvalue()
