"""The words of the detention record (milieu fermé): pure vocabulary, shared by the detention
models, the sentence-date engine's adapters and the screens."""

from __future__ import annotations

from parcours.rules.choices import Choices


class CustodyKind(Choices):
    """Custody served outside the current écrou and deducted from the sentence (CPP art. 716-4)."""

    DETENTION_PROVISOIRE = "detention_provisoire", "Détention provisoire"
    ARSE = "arse", "Assignation à résidence sous surveillance électronique (ARSE)"
    ETRANGER = "etranger", "Détention à l'étranger"
    AUTRE = "autre", "Autre privation de liberté"


class Execution(Choices):
    """How a sentence line runs against the others of the écrou."""

    SUCCESSIVE = "successive", "Exécution successive"
    CONFUSION = "confusion", "Confondue (saisie comme une seule peine)"


class ReductionKind(Choices):
    """A decision on the reductions (CPP art. 721 ff.; former CRP regime)."""

    RP = "rp", "Réduction de peine (art. 721)"
    RSP = "rsp", "Réduction supplémentaire de peine (art. 721-1)"
    RETRAIT_CRP = "retrait_crp", "Retrait de crédit de réduction de peine (régime antérieur)"


class ReleaseKind(Choices):
    FIN_DE_PEINE = "fin_de_peine", "Fin de peine"
    LC = "lc", "Libération conditionnelle"
    LSC = "lsc", "Libération sous contrainte"
    DDSE = "ddse", "Détention à domicile sous surveillance électronique"
    SEMI_LIBERTE = "semi_liberte", "Semi-liberté"
    PLACEMENT_EXTERIEUR = "placement_exterieur", "Placement à l'extérieur"
    MISE_EN_LIBERTE = "mise_en_liberte", "Mise en liberté (détention provisoire)"
    AUTRE = "autre", "Autre"


class SentenceFlag(Choices):
    """Facts of a conviction that the conditions of release read (the engine's `flags`)."""

    TERRORISME = "terrorisme", "Infraction terroriste (CP art. 421-1 à 421-6)"
    VIOLENCES_CONJUGALES = "violences_conjugales", "Violences conjugales"
    VICTIME_PDAP = "victime_pdap", "Victime dépositaire de l'autorité publique"
    VICTIME_MINEUR_15 = "victime_mineur_15", "Victime mineure de quinze ans"
    SSJ_ENCOURU = "ssj_encouru", "Suivi socio-judiciaire encouru"
