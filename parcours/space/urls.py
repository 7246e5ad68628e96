"""Routes of parcours.space (mounted under /espace/ by config/urls.py): the person's own space.
The CPIP's actions live in staff_urls.py (/espace-personnel/), outside the space cookie's path."""

from django.urls import URLPattern, path

from . import views

app_name = "space"

urlpatterns: list[URLPattern] = [
    path("", views.sign_in, name="sign_in"),
    path("code/", views.code, name="code"),
    path("deconnexion/", views.sign_out, name="sign_out"),
    path("accueil/", views.home, name="home"),
    path("rendez-vous/", views.appointments, name="appointments"),
    path("rendez-vous/<uuid:public_id>/reponse/", views.reply, name="reply"),
    path("justificatifs/", views.proofs, name="proofs"),
    path("justificatifs/<uuid:public_id>/envoi/", views.upload, name="upload"),
    path("messages/", views.notices, name="notices"),
    path("controles/", views.checkins, name="checkins"),
    path("controles/<uuid:public_id>/envoi/", views.checkin_answer, name="checkin_answer"),
    path("numerique/", views.digital, name="digital"),
]
