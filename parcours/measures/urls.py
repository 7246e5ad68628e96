from django.urls import path

from . import views

app_name = "measures"
urlpatterns = [
    path("personne/<uuid:person_id>/nouvelle/", views.measure_create, name="create"),
    path("<uuid:public_id>/modifier/", views.measure_edit, name="edit"),
]
