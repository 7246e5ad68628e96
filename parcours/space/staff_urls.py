"""The CPIP's actions on a person's space (mounted under /espace-personnel/)."""

from django.urls import URLPattern, path

from . import views

app_name = "space_staff"

urlpatterns: list[URLPattern] = [
    path("<uuid:person_id>/activation/", views.staff_switch, name="switch"),
    path("<uuid:person_id>/message/", views.staff_notice, name="notice"),
]
