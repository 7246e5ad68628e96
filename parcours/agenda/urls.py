from django.urls import path

from .views import appointment, booking, day, feeds, indicators, places, reception

app_name = "agenda"
urlpatterns = [
    path("", day.day_view, name="day"),
    path("personne/<uuid:person_id>/rendez-vous/", booking.book, name="book"),
    path("personne/<uuid:person_id>/creneaux/", booking.free_slots, name="free_slots"),
    path("personne/<uuid:person_id>/apercu/", booking.preview, name="preview"),
    path("rendez-vous/<uuid:public_id>/", appointment.detail, name="detail"),
    path("rendez-vous/<uuid:public_id>/resultat/", appointment.outcome, name="outcome"),
    path("rendez-vous/<uuid:public_id>/reporter/", appointment.reschedule, name="reschedule"),
    path("rendez-vous/<uuid:public_id>/arrive/", reception.arrived, name="arrived"),
    path(
        "rendez-vous/<uuid:public_id>/convocation.<str:fmt>",
        appointment.letter,
        name="letter",
    ),
    path("creneau/<uuid:public_id>/", booking.slot_book, name="slot_book"),
    path("accueil/", reception.reception, name="reception"),
    path("accueil/impression.pdf", reception.reception_pdf, name="reception_pdf"),
    path("lieux/", places.places, name="places"),
    path("lieux/nouveau/", places.place_create, name="place_create"),
    path("agendas/<uuid:public_id>/modeles/", places.template_create, name="template_create"),
    path("abonnement/", feeds.feeds, name="feeds"),
    path("abonnement/<str:token>.ics", feeds.ical, name="ical"),
    path("indicateurs/", indicators.indicators, name="indicators"),
]
