from django.urls import path

from . import views

app_name = "agenda"
urlpatterns = [
    path("", views.day_view, name="day"),
    path("personne/<uuid:person_id>/rendez-vous/", views.book, name="book"),
    path("personne/<uuid:person_id>/creneaux/", views.free_slots, name="free_slots"),
    path("personne/<uuid:person_id>/apercu/", views.preview, name="preview"),
    path("rendez-vous/<uuid:public_id>/", views.detail, name="detail"),
    path("rendez-vous/<uuid:public_id>/resultat/", views.outcome, name="outcome"),
    path("rendez-vous/<uuid:public_id>/reporter/", views.reschedule, name="reschedule"),
    path("rendez-vous/<uuid:public_id>/arrive/", views.arrived, name="arrived"),
    path(
        "rendez-vous/<uuid:public_id>/convocation.<str:fmt>",
        views.letter,
        name="letter",
    ),
    path("creneau/<uuid:public_id>/", views.slot_book, name="slot_book"),
    path("accueil/", views.reception, name="reception"),
    path("accueil/impression.pdf", views.reception_pdf, name="reception_pdf"),
    path("lieux/", views.places, name="places"),
    path("lieux/nouveau/", views.place_create, name="place_create"),
    path("agendas/<uuid:public_id>/modeles/", views.template_create, name="template_create"),
    path("abonnement/", views.feeds, name="feeds"),
    path("abonnement/<str:token>.ics", views.ical, name="ical"),
    path("indicateurs/", views.indicators, name="indicators"),
]
