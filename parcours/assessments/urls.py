"""Routes of parcours.assessments (mounted under /evaluations/ by config/urls.py)."""

from django.urls import path

from . import views

app_name = "assessments"

urlpatterns = [
    path("a-faire/", views.to_do, name="to_do"),
    path("indicateurs/", views.indicators, name="indicators"),
    path("personne/<uuid:person_id>/", views.person_page, name="person"),
    path("personne/<uuid:person_id>/nouvelle/", views.create, name="create"),
    path("personne/<uuid:person_id>/numerique/", views.digital_create, name="digital_create"),
    path("numerique/<uuid:public_id>/", views.digital_detail, name="digital_detail"),
    path("<uuid:public_id>/", views.detail, name="detail"),
    path("<uuid:public_id>/saisie/", views.fill, name="fill"),
    path("<uuid:public_id>/sauvegarde/", views.autosave, name="autosave"),
    path("<uuid:public_id>/terminer/", views.finish, name="finish"),
    path("<uuid:public_id>/comparaison/", views.compare, name="compare"),
]
