"""The words of the domain: every enumeration Parcours stores or reasons about, with its French
label (rules.choices.Choices: the value and its label together).

One module, pure (no Django), below every app: the rules reason with these words (a breach kind
in the graduated response, the recorded sex in French forms, a report status in the circuit),
the models store them (`choices=BreachKind.choices`), the screens show `.label`. The apps and
rule modules re-export the names they own, so `from parcours.breaches.models import BreachKind`
keeps working. A new value is a new line here and, for a stored field, a migration.
"""

from __future__ import annotations

from parcours.rules.choices import Choices

# Accounts and organisations


class Role(Choices):
    CPIP = "cpip", "CPIP"
    DPIP = "dpip", "DPIP (chef de service)"
    DFSPIP = "dfspip", "DFSPIP (directeur)"
    SECRETARIAT = "secretariat", "Secrétariat / accueil"
    PSYCHOLOGUE = "psychologue", "Psychologue"
    SURVEILLANT = "surveillant", "Surveillant (DDSE)"
    JAP = "jap", "Juge de l'application des peines"
    GREFFE_SAP = "greffe_sap", "Greffe SAP"
    PARTENAIRE = "partenaire", "Partenaire"
    ADMIN = "admin", "Administrateur technique"


class OrganisationKind(Choices):
    DISP = "disp", "Direction interrégionale (DISP)"
    SPIP = "spip", "SPIP"
    ANTENNE = "antenne", "Antenne / site"
    TRIBUNAL = "tribunal", "Tribunal judiciaire"
    PARTENAIRE = "partenaire", "Partenaire"
    ADMINISTRATION = "administration", "Administration"
    ETABLISSEMENT = "etablissement", "Établissement pénitentiaire"


class SiteType(Choices):
    MILIEU_OUVERT = "milieu_ouvert", "Milieu ouvert"
    MILIEU_FERME = "milieu_ferme", "Milieu fermé (établissement pénitentiaire)"
    SIEGE = "siege", "Siège"


# The journal


class AuditAction(Choices):
    CONSULTATION = "consultation", "Consultation"
    CREATION = "creation", "Création"
    MODIFICATION = "modification", "Modification"
    TRANSFERT = "transfert", "Transfert"
    EXPORT = "export", "Export"
    CONNEXION = "connexion", "Connexion"
    ECHEC_CONNEXION = "echec_connexion", "Échec de connexion"
    DECONNEXION = "deconnexion", "Déconnexion"
    RECHERCHE = "recherche", "Recherche"
    ACCES_EXCEPTIONNEL = "acces_exceptionnel", "Accès exceptionnel (motif)"
    DESACTIVATION = "desactivation", "Désactivation de compte"
    CHARTE = "charte", "Acceptation de la charte"
    # Accounts (issue 14): every account event says who did what to whom, and why.
    DEMANDE_ROLE = "demande_role", "Demande d'attribution de rôle"
    VALIDATION_ROLE = "validation_role", "Validation d'attribution de rôle"
    REJET_ROLE = "rejet_role", "Rejet d'attribution de rôle"
    RETRAIT_ROLE = "retrait_role", "Retrait de rôle"
    REINITIALISATION = "reinitialisation", "Réinitialisation du mot de passe"
    VERROUILLAGE = "verrouillage", "Verrouillage du compte"
    DOUBLE_FACTEUR = "double_facteur", "Double authentification"
    # Refusals: a case object that answered 403/404, an upload refused.
    REFUS = "refus", "Accès refusé"
    TELEVERSEMENT_REFUSE = "televersement_refuse", "Dépôt de fichier refusé"
    # Data lifecycle: the retention purge and the person's right of access.
    PURGE = "purge", "Purge (durée de conservation)"
    DROIT_ACCES = "droit_acces", "Communication des données (droit d'accès)"


class Motif(Choices):
    """Why a file was opened: held by role, or given by the user (break the glass)."""

    REFERENT = "referent", "CPIP référent"
    ENCADREMENT = "encadrement", "Encadrement du service"
    SECRETARIAT = "secretariat", "Secrétariat / accueil"
    JURIDICTION = "juridiction", "Juridiction saisie"
    REMPLACEMENT = "remplacement", "Remplacement d'un collègue"
    PERMANENCE = "permanence", "Permanence"
    AUTRE = "autre", "Autre motif (à préciser)"


# Catalogue and measures


class Milieu(Choices):
    OUVERT = "ouvert", "Milieu ouvert"
    FERME = "ferme", "Milieu fermé"


class MeasureStatus(Choices):
    A_VENIR = "a_venir", "À venir"
    EN_COURS = "en_cours", "En cours"
    SUSPENDUE = "suspendue", "Suspendue"
    TERMINEE = "terminee", "Terminée"
    REVOQUEE = "revoquee", "Révoquée"


# People


class Sex(Choices):
    FEMININ = "F", "Féminin"
    MASCULIN = "M", "Masculin"
    NON_PRECISE = "X", "Non précisé"


class Housing(Choices):
    INCONNU = "inconnu", "Non renseigné"
    PERSONNEL = "personnel", "Logement personnel"
    HEBERGE_TIERS = "heberge_tiers", "Hébergé chez un tiers"
    HEBERGEMENT_SOCIAL = "hebergement_social", "Hébergement social / CHRS"
    HOTEL = "hotel", "Hôtel / 115"
    SANS_DOMICILE = "sans_domicile", "Sans domicile"
    DETENTION = "detention", "En détention"


# Obligations and justificatifs


class ObligationCategory(Choices):
    MESURE_CONTROLE = "mesure_controle", "Mesure de contrôle"
    OBLIGATION = "obligation_particuliere", "Obligation particulière"
    INTERDICTION = "interdiction", "Interdiction"


class ImposedBy(Choices):
    JURIDICTION = "juridiction", "Juridiction de jugement"
    JAP = "jap", "Juge de l'application des peines"


class ProofKind(Choices):
    FICHIER = "fichier", "Fichier déposé"
    PAPIER = "papier", "Vu sur papier"


class ProofStatus(Choices):
    EN_ATTENTE = "en_attente", "En attente"
    ACCEPTE = "accepte", "Accepté"
    REFUSE = "refuse", "Refusé"


class ParameterType(Choices):
    """The kinds of parameter a catalogue type defines (its `parameters` JSON, "type")."""

    TEXT = "text", "Texte"
    DATE = "date", "Date"
    AMOUNT = "amount", "Montant"
    PERSON = "person", "Personne"
    PLACE = "place", "Lieu"
    ZONE = "zone", "Zone"
    DISTANCE = "distance", "Distance"


class ComplianceStatus(Choices):
    """From best to worst: roll-ups take the worst (STATUS_ORDER)."""

    A_JOUR = "a_jour", "À jour"
    JUSTIFICATIF_ATTENDU = "justificatif_attendu", "Justificatif attendu"
    EN_RETARD = "en_retard", "En retard"
    MANQUEMENT = "manquement", "Manquement"


class ComplianceState(Choices):
    """The vocabulary of issue 13, from best to worst: an automatic status never says
    *manquement*, only a breach the CPIP recorded does."""

    A_JOUR = "a_jour", "À jour"
    JUSTIFICATIF_ATTENDU = "justificatif_attendu", "Justificatif attendu"
    EN_RETARD = "en_retard", "En retard"
    SANS_JUSTIFICATIF = "sans_justificatif", "Justificatif manquant"
    MANQUEMENT = "manquement", "Manquement"


# Manquements and ledgers


class BreachKind(Choices):
    ABSENCE = "absence", "Absence à une convocation"
    JUSTIFICATIF = "justificatif", "Justificatif non fourni"
    INTERDICTION = "interdiction", "Non-respect d'une interdiction"
    OBLIGATION = "obligation", "Obligation non exécutée"
    INFRACTION = "infraction", "Nouvelle infraction signalée"
    AUTRE = "autre", "Autre"


class NextStep(Choices):
    RAPPEL = "rappel", "Rappel des obligations"
    CONVOCATION = "convocation", "Convocation au SPIP"
    RAPPORT_INCIDENT = "rapport_incident", "Rapport d'incident au JAP"
    AUCUNE = "aucune", "Aucune suite"


class FollowUpStatus(Choices):
    A_FAIRE = "a_faire", "À faire"
    FAIT = "fait", "Fait"
    ECARTE = "ecarte", "Écarté (motivé)"


class OffenceKind(Choices):
    DELIT = "delit", "Délit"
    CONTRAVENTION_5 = "contravention_5e_classe", "Contravention de 5e classe"


# Agenda and messages


class AppointmentStatus(Choices):
    PLANIFIE = "planifie", "Planifié"
    HONORE = "honore", "Honoré"
    ABSENT = "absent", "Absent (non excusé)"
    EXCUSE = "excuse", "Excusé"
    ANNULE = "annule", "Annulé"
    REPORTE = "reporte", "Reporté"


class Action(Choices):
    HONORER = "honorer"
    ABSENT = "absent"
    EXCUSER = "excuser"
    ANNULER = "annuler"
    REPORTER = "reporter"
    # Correcting an outcome typed by mistake (e.g. absent → honoré when the person came late).
    CORRIGER = "corriger"


class MessageState(Choices):
    PROGRAMME = "programme", "Programmé"
    ENVOYE = "envoye", "Envoyé"
    DELIVRE = "delivre", "Délivré"
    ECHOUE = "echoue", "Échoué"
    ANNULE = "annule", "Annulé"


class MessageRole(Choices):
    CONVOCATION = "convocation", "Convocation"
    RAPPEL = "rappel", "Rappel"
    ANNULATION = "annulation", "Annulation"
    REPORT = "report", "Report"
    ABSENCE = "absence", "Absence"


class Channel(Choices):
    SMS = "sms", "SMS"
    EMAIL = "email", "Courriel"


# Notes, reports and deadlines


class NoteKind(Choices):
    ENTRETIEN = "entretien", "Entretien"
    APPEL = "appel", "Appel téléphonique"
    VISITE = "visite", "Visite à domicile"
    COURRIER = "courrier", "Courrier"
    INCIDENT = "incident", "Incident"
    SYNTHESE = "synthese", "Synthèse"
    REUNION = "reunion", "Réunion partenariale"


class ReportKind(Choices):
    EVALUATION = "evaluation", "Rapport d'évaluation"
    SITUATION = "situation", "Rapport de situation / annuel"
    INCIDENT = "incident", "Rapport de manquement / incident"
    AMENAGEMENT = "amenagement", "Avis sur un aménagement de peine"
    FIN_MESURE = "fin_mesure", "Rapport de fin de mesure"
    PRESENTENCIEL = "presentenciel", "Enquête pré-sentencielle"
    AVIS_CAP = "avis_cap", "Avis du SPIP à la commission de l'application des peines"


class ReportStatus(Choices):
    BROUILLON = "brouillon", "Brouillon"
    SOUMIS = "soumis", "Soumis à validation"
    VALIDE = "valide", "Validé"
    TRANSMIS = "transmis", "Transmis au JAP"
    RECU = "recu", "Reçu par la juridiction"
    DECISION = "decision", "Décision enregistrée"


class DeadlineStatus(Choices):
    UPCOMING = "upcoming", "À venir"
    DUE_SOON = "due_soon", "Imminente"
    OVERDUE = "overdue", "Dépassée"
    DONE = "done", "Faite"


# Accompaniment (issue 17): assessment, individual plan, partners


class AssessmentDomain(Choices):
    """The domains of the structured assessment and of the plan's goals (the questionnaire files
    of parcours/assessments/data define their questions; the plan's goals reuse these codes)."""

    LOGEMENT = "logement", "Logement"
    EMPLOI = "emploi", "Emploi et formation"
    RESSOURCES = "ressources", "Ressources et dettes"
    SANTE = "sante", "Santé et addictions"
    FAMILLE = "famille", "Famille et relations"
    RESEAU = "reseau", "Réseau social"
    ATTITUDES = "attitudes", "Attitudes et rapport à l'infraction"
    NUMERIQUE = "numerique", "Compétences numériques"
    FORCES = "forces", "Forces et facteurs de protection"


class AssessmentKind(Choices):
    INITIALE = "initiale", "Évaluation initiale"
    REEXAMEN = "reexamen", "Réexamen"
    FIN_MESURE = "fin_mesure", "Évaluation de fin de mesure"
    SPR = "spr", "Réévaluation du sursis probatoire renforcé (SPR)"


class NeedLevel(Choices):
    """The CPIP's structured judgement of a domain (no score: a judgement and its reasons)."""

    AUCUN = "aucun", "Pas de besoin"
    MODERE = "modere", "Besoin à travailler"
    IMPORTANT = "important", "Besoin important"


# The person's answers (issue 18): to a convocation, from the personal space or by SMS


class ReplyAnswer(Choices):
    CONFIRME = "confirme", "Présence confirmée"
    EMPECHE = "empeche", "Ne peut pas venir"


class ReplyChannel(Choices):
    ESPACE = "espace", "Espace personnel"
    SMS = "sms", "Réponse par SMS"


# Partners and referrals (issue 17, parcours.partners; rules/referrals.py)


class PartnerKind(Choices):
    FRANCE_TRAVAIL = "france_travail", "France Travail"
    MISSION_LOCALE = "mission_locale", "Mission locale"
    SIAO = "siao", "SIAO (hébergement)"
    CSAPA = "csapa", "CSAPA (soins en addictologie)"
    ASSOCIATION = "association", "Association"
    TIG = "tig", "Structure d'accueil TIG"
    AUTRE = "autre", "Autre"


class ReferralStatus(Choices):
    BROUILLON = "brouillon", "Brouillon"
    ENVOYEE = "envoyee", "Envoyée"
    ACCEPTEE = "acceptee", "Acceptée"
    REFUSEE = "refusee", "Refusée"
    EN_COURS = "en_cours", "En cours"
    TERMINEE = "terminee", "Terminée"
    CLOTUREE = "cloturee", "Clôturée"
    ANNULEE = "annulee", "Annulée"


class ConsentMeans(Choices):
    ORAL = "oral", "Oralement en entretien"
    ECRIT = "ecrit", "Par écrit (formulaire signé)"


# Inbound SMS (issue 18, replies by SMS): what a reply says and whom it was matched to


class InboundKeyword(Choices):
    STOP = "stop", "STOP"
    OUI = "oui", "OUI"
    NON = "non", "NON"
    AUTRE = "autre", "Autre texte"


class InboundMatch(Choices):
    PERSONNE = "personne", "Une personne"
    AMBIGU = "ambigu", "Ambigu (plusieurs personnes)"
    INCONNU = "inconnu", "Numéro inconnu"


# Remote check-in (issue 18, contrôle à distance)


class CheckinRhythm(Choices):
    JOURS = "jours", "Tous les N jours"
    HEBDO = "hebdo", "Chaque semaine, un jour fixe"


class CheckinReview(Choices):
    A_REVOIR = "a_revoir", "À revoir"
    VU = "vu", "Vu"
    SUITE = "suite", "Suite à donner"


# Individual plan (issue 17, parcours/plans): versions, agreement, steps


class PlanStatus(Choices):
    BROUILLON = "brouillon", "Brouillon"
    # Agreed with the person, waiting for the DPIP's countersignature (where the SPIP asks it).
    A_CONTRESIGNER = "a_contresigner", "À contresigner"
    EN_VIGUEUR = "en_vigueur", "En vigueur"
    REMPLACE = "remplace", "Remplacé"


class AgreementMode(Choices):
    """How the person agreed to the plan."""

    ENTRETIEN = "entretien", "Accord exprimé en entretien"
    SIGNATURE_PAPIER = "signature_papier", "Plan papier signé"
    ESPACE_PERSONNEL = "espace_personnel", "Validation dans l'espace personnel"


class StepActor(Choices):
    PERSONNE = "personne", "La personne"
    CPIP = "cpip", "Le CPIP"
    PARTENAIRE = "partenaire", "Un partenaire"


class StepStatus(Choices):
    A_FAIRE = "a_faire", "À faire"
    EN_COURS = "en_cours", "En cours"
    FAIT = "fait", "Fait"
    ABANDONNE = "abandonne", "Abandonné"


# Assessments (issue 17, parcours.assessments) -------------------------------------------------


class AssessmentStatus(Choices):
    BROUILLON = "brouillon", "Brouillon"
    TERMINEE = "terminee", "Terminée"


class DigitalChannel(Choices):
    """How a digital-skills self-assessment reached the file."""

    PAPIER = "papier", "Papier transcrit par le SPIP"
    ESPACE = "espace_personnel", "Espace personnel"


# The person's own space (issue 18)


class AttemptKind(Choices):
    DEMANDE = "demande", "Code demandé"
    TROP = "trop", "Demande refusée (trop de demandes)"
    FAUX = "faux", "Code erroné"
    EXPIRE = "expire", "Code expiré ou déjà utilisé"
    VERROU = "verrou", "Essai pendant le verrouillage"
    REUSSI = "reussi", "Connexion réussie"


class HandoverStatus(Choices):
    """A file handed to another SPIP (dessaisissement, rules.handovers)."""

    EN_ATTENTE = "en_attente", "En attente"
    ACCEPTE = "accepte", "Accepté"
    REFUSE = "refuse", "Refusé"
    ANNULE = "annule", "Annulé"
