from django.urls import include, path

urlpatterns = [
    path("", include("parcours.core.urls")),
    path("", include("parcours.accounts.urls")),
    path("personnes/", include("parcours.people.urls")),
    path("mesures/", include("parcours.measures.urls")),
    # "obligations/…" and "justificatifs/…" (files are served only by the checked view).
    path("", include("parcours.obligations.urls")),
    path("manquements/", include("parcours.breaches.urls")),
    path("registres/", include("parcours.ledgers.urls")),
    path("chronologie/", include("parcours.timeline.urls")),
    # The journal screen (accounts.journal), under the "audit" namespace.
    path("journal/", include("parcours.accounts.journal_urls")),
    path("a-traiter/", include("parcours.alerts.urls")),
    path("agenda/", include("parcours.agenda.urls")),
    # Public STOP links of SMS live under "n/…"; staff screens under "notifications/…".
    path("", include("parcours.notifications.urls")),
    # "notes/…" and "recherche/…".
    path("", include("parcours.notes.urls")),
    path("rapports/", include("parcours.reports.urls")),
]

handler400 = "parcours.core.views.bad_request"
handler403 = "parcours.core.views.permission_denied"
handler404 = "parcours.core.views.page_not_found"
handler500 = "parcours.core.views.server_error"
