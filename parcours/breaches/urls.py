from django.urls import path

from . import views

app_name = "breaches"
urlpatterns = [
    path("personne/<uuid:person_id>/nouveau/", views.breach_create, name="create"),
    path("<uuid:public_id>/suite/", views.breach_followup, name="followup"),
]
