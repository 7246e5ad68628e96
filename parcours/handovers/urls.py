"""Dessaisissement routes (mounted under /changements-de-spip/ by config/urls.py)."""

from django.urls import path

from . import views

app_name = "handovers"

urlpatterns = [
    path("", views.handover_list, name="list"),
    path("personne/<uuid:person_id>/", views.handover_request, name="request"),
    path("<uuid:public_id>/", views.handover_detail, name="detail"),
    path("<uuid:public_id>/retirer/", views.handover_withdraw, name="withdraw"),
]
