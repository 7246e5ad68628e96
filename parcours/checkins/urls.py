"""Routes of parcours.checkins (mounted under /controle-a-distance/ by config/urls.py)."""

from django.urls import URLPattern

app_name = "checkins"

urlpatterns: list[URLPattern] = []
