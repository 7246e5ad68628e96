from django.urls import path

from . import views

app_name = "timeline"
urlpatterns = [path("<uuid:person_id>/", views.person_timeline_view, name="person")]
