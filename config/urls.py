"""The URL map of Parcours, in one file: the whole surface the access matrix covers
(tests/test_access_matrix.py lists every name below × method × role), reviewed in one place.

Each app keeps its namespace (`people:detail`, `agenda:book`…); its views sit behind a door or a
role check (tests/test_doors.py). Public identifiers are UUIDs, never names.
"""

from collections.abc import Sequence

from django.urls import URLPattern, URLResolver, include, path

from parcours.accounts import journal as accounts_journal
from parcours.accounts import mfa_views
from parcours.accounts import views as accounts
from parcours.agenda.views import appointment, booking, day, feeds, indicators, places, reception
from parcours.alerts import views as alerts
from parcours.breaches import views as breaches
from parcours.core import views as core
from parcours.ledgers import views as ledgers
from parcours.lifecycle import views as lifecycle
from parcours.measures import views as measures
from parcours.notes import views as notes
from parcours.notifications import views as notifications
from parcours.obligations import views as obligations
from parcours.people import views as people
from parcours.reports import views as reports
from parcours.timeline import views as timeline

PUBLIC_ID = "<uuid:public_id>/"
PERSON_ID = "<uuid:person_id>/"


def app(
    namespace: str, *routes: URLPattern
) -> tuple[Sequence[URLPattern | URLResolver], str | None, str | None]:
    """One app's routes under its namespace."""
    return include((list(routes), namespace))


core_urls = app(
    "core",
    path("", core.home, name="home"),
    path("health/", core.health, name="health"),
)
accounts_urls = app(
    "accounts",
    path("connexion/", accounts.LoginView.as_view(), name="login"),
    path("deconnexion/", accounts.logout_view, name="logout"),
    path("charte/", accounts.charter, name="charter"),
    path("mes-sessions/", accounts.my_sessions, name="sessions"),
    path("mot-de-passe/changer/", accounts.password_change, name="password_change"),
    path("administration/utilisateurs/", accounts.user_list, name="user_list"),
    path("administration/utilisateurs/nouveau/", accounts.user_create, name="user_create"),
    path(f"administration/utilisateurs/{PUBLIC_ID}", accounts.user_edit, name="user_edit"),
    path(
        f"administration/utilisateurs/{PUBLIC_ID}activation/",
        accounts.user_deactivate,
        name="user_deactivate",
    ),
    path(
        f"administration/utilisateurs/{PUBLIC_ID}lien-mot-de-passe/",
        accounts.user_reset_link,
        name="user_reset_link",
    ),
    path("roles/demandes/", accounts.role_requests, name="role_requests"),
    path(f"roles/demandes/{PUBLIC_ID}", accounts.role_request_decide, name="role_request_decide"),
    # The user's own password, from the e-mailed link (no login).
    path(
        "mot-de-passe/<uidb64>/<token>/",
        accounts.PasswordSetView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "mot-de-passe/enregistre/",
        accounts.PasswordSetDoneView.as_view(),
        name="password_reset_complete",
    ),
)
# Two-factor sign-in (parcours/accounts/mfa.py): the code after the password, enrolment, the
# user's own page, an administrator's reset of a lost device.
mfa_urls = app(
    "mfa",
    path("", mfa_views.settings_page, name="settings"),
    path("verification/", mfa_views.verify, name="verify"),
    path("activation/", mfa_views.enrol, name="enrol"),
    path("codes-de-secours/", mfa_views.regenerate_codes, name="recovery_codes"),
    path("retrait/", mfa_views.remove, name="remove"),
    path(f"administration/{PUBLIC_ID}", mfa_views.admin_reset, name="admin_reset"),
)
# The journal screen (accounts.journal) keeps the "audit" namespace.
journal_urls = app("audit", path("", accounts_journal.journal, name="journal"))
people_urls = app(
    "people",
    path("", people.caseload, name="caseload"),
    path("equipe/", people.team, name="team"),
    path("nouvelle/", people.person_create, name="create"),
    path(PUBLIC_ID, people.person_detail, name="detail"),
    path(f"{PUBLIC_ID}onglet/<slug:onglet>/", people.person_detail, name="tab"),
    path(f"{PUBLIC_ID}motif/", people.motif, name="motif"),
    path(f"{PUBLIC_ID}modifier/", people.person_edit, name="edit"),
    path(f"{PUBLIC_ID}transferer/", people.person_transfer, name="transfer"),
    path(f"{PUBLIC_ID}adresses/nouvelle/", people.address_add, name="address_add"),
)
measures_urls = app(
    "measures",
    path(f"personne/{PERSON_ID}nouvelle/", measures.measure_create, name="create"),
    path(f"{PUBLIC_ID}modifier/", measures.measure_edit, name="edit"),
    path(
        f"personne/{PERSON_ID}incarcerations/nouvelle/",
        measures.incarceration_create,
        name="incarceration_create",
    ),
    path(
        f"incarcerations/{PUBLIC_ID}modifier/",
        measures.incarceration_edit,
        name="incarceration_edit",
    ),
    path(f"incarcerations/{PUBLIC_ID}fin/", measures.incarceration_end, name="incarceration_end"),
    path(
        "<uuid:measure_id>/suspensions/nouvelle/",
        measures.suspension_create,
        name="suspension_create",
    ),
    path(f"suspensions/{PUBLIC_ID}modifier/", measures.suspension_edit, name="suspension_edit"),
)
# Files are served only by the checked view (proof_download).
obligations_urls = app(
    "obligations",
    path(
        "obligations/mesure/<uuid:measure_id>/nouvelle/",
        obligations.obligation_create,
        name="create",
    ),
    path(f"obligations/{PUBLIC_ID}modifier/", obligations.obligation_edit, name="edit"),
    path(
        "obligations/<uuid:obligation_id>/justificatifs/nouveau/",
        obligations.proof_create,
        name="proof_create",
    ),
    path(f"justificatifs/{PUBLIC_ID}fichier/", obligations.proof_download, name="proof_download"),
    path(f"justificatifs/{PUBLIC_ID}decision/", obligations.proof_decide, name="proof_decide"),
)
breaches_urls = app(
    "breaches",
    path(f"personne/{PERSON_ID}nouveau/", breaches.breach_create, name="create"),
    path(f"{PUBLIC_ID}suite/", breaches.breach_followup, name="followup"),
)
ledgers_urls = app(
    "ledgers",
    path("mesure/<uuid:measure_id>/tig/", ledgers.tig_create, name="tig_create"),
    path(f"tig/{PUBLIC_ID}heures/", ledgers.tig_session_add, name="tig_session"),
    path(f"tig/{PUBLIC_ID}modifier/", ledgers.tig_edit, name="tig_edit"),
    path(f"tig/seance/{PUBLIC_ID}valider/", ledgers.tig_validate, name="tig_validate"),
    path(
        "mesure/<uuid:measure_id>/indemnisation/",
        ledgers.compensation_create,
        name="compensation_create",
    ),
    path(
        f"indemnisation/{PUBLIC_ID}modifier/", ledgers.compensation_edit, name="compensation_edit"
    ),
    path(
        f"indemnisation/{PUBLIC_ID}versement/",
        ledgers.compensation_payment,
        name="compensation_payment",
    ),
)
timeline_urls = app("timeline", path(PERSON_ID, timeline.person_timeline_view, name="person"))
alerts_urls = app("alerts", path("", alerts.todo, name="todo"))
agenda_urls = app(
    "agenda",
    path("", day.day_view, name="day"),
    path(f"personne/{PERSON_ID}rendez-vous/", booking.book, name="book"),
    path(f"personne/{PERSON_ID}creneaux/", booking.free_slots, name="free_slots"),
    path(f"personne/{PERSON_ID}apercu/", booking.preview, name="preview"),
    path(f"rendez-vous/{PUBLIC_ID}", appointment.detail, name="detail"),
    path(f"rendez-vous/{PUBLIC_ID}resultat/", appointment.outcome, name="outcome"),
    path(f"rendez-vous/{PUBLIC_ID}reporter/", appointment.reschedule, name="reschedule"),
    path(f"rendez-vous/{PUBLIC_ID}reponse-vue/", appointment.reply_seen, name="reply_seen"),
    path(f"rendez-vous/{PUBLIC_ID}arrive/", reception.arrived, name="arrived"),
    path(f"rendez-vous/{PUBLIC_ID}convocation.<str:fmt>", appointment.letter, name="letter"),
    path(f"creneau/{PUBLIC_ID}", booking.slot_book, name="slot_book"),
    path("accueil/", reception.reception, name="reception"),
    path("accueil/impression.pdf", reception.reception_pdf, name="reception_pdf"),
    path("lieux/", places.places, name="places"),
    path("lieux/nouveau/", places.place_create, name="place_create"),
    path(f"agendas/{PUBLIC_ID}modeles/", places.template_create, name="template_create"),
    path("abonnement/", feeds.feeds, name="feeds"),
    path("abonnement/<str:token>.ics", feeds.ical, name="ical"),
    path("indicateurs/", indicators.indicators, name="indicators"),
)
# Public STOP links of SMS live under "n/…" (signed token, no login); staff screens under
# "notifications/…".
notifications_urls = app(
    "notifications",
    path("n/stop/<str:token>/", notifications.stop, name="stop"),
    path("notifications/", notifications.outbox, name="outbox"),
    path(f"notifications/{PUBLIC_ID}relancer/", notifications.retry, name="retry"),
    path(f"notifications/{PUBLIC_ID}annuler/", notifications.cancel, name="cancel"),
    path("notifications/modeles/", notifications.templates, name="templates"),
    path(
        "notifications/modeles/<slug:role>/<slug:channel>/",
        notifications.template_edit,
        name="template_edit",
    ),
    # Inbound SMS: the provider's signed webhook (public), the staff's "Messages reçus".
    path("sms/entrant/", notifications.inbound_webhook, name="inbound_webhook"),
    path("notifications/recus/", notifications.inbound_list, name="inbound_list"),
    path(f"notifications/recus/{PUBLIC_ID}", notifications.inbound_detail, name="inbound_detail"),
)
notes_urls = app(
    "notes",
    path(f"notes/personne/{PERSON_ID}", notes.person_notes, name="person_list"),
    path(f"notes/personne/{PERSON_ID}nouvelle/", notes.note_create, name="create"),
    path(f"notes/{PUBLIC_ID}", notes.note_detail, name="detail"),
    path(f"notes/{PUBLIC_ID}modifier/", notes.note_edit, name="edit"),
    path(f"notes/{PUBLIC_ID}historique/", notes.note_history, name="history"),
    path("recherche/", notes.search, name="search"),
)
reports_urls = app(
    "reports",
    path("", reports.my_reports, name="mine"),
    path("a-valider/", reports.to_validate, name="to_validate"),
    path("recus/", reports.court_reports, name="court"),
    path(f"personne/{PERSON_ID}nouveau/", reports.report_create, name="create"),
    path(PUBLIC_ID, reports.report_detail, name="detail"),
    path(f"{PUBLIC_ID}rediger/", reports.report_edit, name="edit"),
    path(f"{PUBLIC_ID}sauvegarde/", reports.report_autosave, name="autosave"),
    path(f"{PUBLIC_ID}action/", reports.report_transition, name="transition"),
    path(f"{PUBLIC_ID}rapport.pdf", reports.report_pdf, name="pdf"),
    path(f"{PUBLIC_ID}rapport.docx", reports.report_docx, name="docx"),
)
# Data lifecycle (issue 14): the person's right of access, answered by the service's management.
lifecycle_urls = app(
    "lifecycle",
    path(f"{PUBLIC_ID}droit-d-acces/", lifecycle.access_export, name="access_export"),
)

urlpatterns = [
    path("", core_urls),
    path("", accounts_urls),
    path("double-authentification/", mfa_urls),
    path("personnes/", people_urls),
    path("mesures/", measures_urls),
    path("", obligations_urls),
    path("manquements/", breaches_urls),
    path("registres/", ledgers_urls),
    path("chronologie/", timeline_urls),
    path("journal/", journal_urls),
    path("a-traiter/", alerts_urls),
    path("agenda/", agenda_urls),
    path("", notifications_urls),
    path("", notes_urls),
    path("rapports/", reports_urls),
    path("personnes/", lifecycle_urls),
    path("detention/import/", include("parcours.detention.import_urls")),
    path("detention/", include("parcours.detention.urls")),
    path("sortie/", include("parcours.release.urls")),
    path("changements-de-spip/", include("parcours.handovers.urls")),
    path("amenagements/", include("parcours.adjustments.urls")),
    path("catalogue/", include("parcours.catalog.urls")),
    path("evaluations/", include("parcours.assessments.urls")),
    path("plans/", include("parcours.plans.urls")),
    path("partenaires/", include("parcours.partners.urls")),
    path("controle-a-distance/", include("parcours.checkins.urls")),
    path("espace/", include("parcours.space.urls")),
    path("espace-personnel/", include("parcours.space.staff_urls")),
]

handler400 = "parcours.core.views.bad_request"
handler403 = "parcours.core.views.permission_denied"
handler404 = "parcours.core.views.page_not_found"
handler500 = "parcours.core.views.server_error"
