"""Routes of the adjustments app (milieu fermé): /amenagements/…"""

from __future__ import annotations

from django.urls import path

from . import views

app_name = "adjustments"

urlpatterns = [
    path("opportunites/", views.opportunities, name="opportunities"),
    path("personne/<uuid:person_id>/", views.person_opportunities, name="person"),
    path("ecartes/", views.reviews, name="reviews"),
    path("marque/<uuid:public_id>/revue/", views.review, name="review"),
    path("cap/", views.commissions, name="commissions"),
    path("cap/<uuid:public_id>/", views.commission, name="commission"),
    path("cap/inscription/<uuid:public_id>/", views.item_action, name="item"),
    path("cap/inscription/<uuid:public_id>/decision/", views.decision, name="decision"),
]
