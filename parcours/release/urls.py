"""Release preparation routes (mounted under /sortie/ by config/urls.py)."""

from django.urls import path

from . import views

app_name = "release"

PERSON_ID = "personne/<uuid:person_id>/"

urlpatterns = [
    path("", views.upcoming, name="upcoming"),
    path("indicateurs/", views.indicators, name="indicators"),
    path(PERSON_ID, views.person_release, name="person"),
    path(f"{PERSON_ID}preparer/", views.prepare, name="prepare"),
    path(f"{PERSON_ID}date/", views.expected_date, name="expected_date"),
    path(f"{PERSON_ID}agenda/", views.check_agenda, name="check_agenda"),
    path(f"{PERSON_ID}avis-741-1.pdf", views.notice, name="notice"),
    path("demarches/<uuid:public_id>/", views.item_edit, name="item"),
]
