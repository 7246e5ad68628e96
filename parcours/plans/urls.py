"""Routes of parcours.plans (mounted under /plans/ by config/urls.py)."""

from django.urls import URLPattern

app_name = "plans"

urlpatterns: list[URLPattern] = []
