from django.urls import path

from . import journal as views

app_name = "audit"
urlpatterns = [path("", views.journal, name="journal")]
