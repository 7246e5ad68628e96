"""The detention record's routes (namespace "detention"), included once by config/urls.py."""

from django.urls import path

from . import views

app_name = "detention"

urlpatterns = [
    path("simulateur/", views.simulator, name="simulator"),
    path("personne/<uuid:person_id>/ecrou/nouveau/", views.ecrou_create, name="ecrou_create"),
    path("ecrou/<uuid:public_id>/modifier/", views.ecrou_edit, name="ecrou_edit"),
    path("ecrou/<uuid:public_id>/liberation/", views.ecrou_release, name="ecrou_release"),
    path("ecrou/<uuid:ecrou_id>/peines/nouvelle/", views.sentence_create, name="sentence_create"),
    path("ecrou/<uuid:ecrou_id>/<slug:kind>/nouveau/", views.entry_create, name="entry_create"),
    path("peine/<uuid:public_id>/modifier/", views.sentence_edit, name="sentence_edit"),
    path("peine/<uuid:public_id>/supprimer/", views.sentence_delete, name="sentence_delete"),
    path("saisie/<slug:kind>/<uuid:public_id>/modifier/", views.entry_edit, name="entry_edit"),
    path("saisie/<slug:kind>/<uuid:public_id>/supprimer/", views.entry_delete, name="entry_delete"),
]
