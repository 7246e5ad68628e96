"""Routes of parcours.checkins (mounted under /controle-a-distance/ by config/urls.py)."""

from django.urls import URLPattern, path

from . import views

app_name = "checkins"

urlpatterns: list[URLPattern] = [
    path("", views.follow_list, name="list"),
    path("personne/<uuid:person_id>/", views.person_page, name="person"),
    path("<uuid:public_id>/", views.review, name="review"),
    path("<uuid:public_id>/justificatif/", views.proof, name="proof"),
]
