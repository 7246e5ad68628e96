"""The catalogue's routes (mounted under /catalogue/ by config/urls.py)."""

from django.urls import path

from . import views

app_name = "catalog"

urlpatterns = [
    path("mesures/", views.measure_types, name="measure_types"),
]
