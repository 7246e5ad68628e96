from django.urls import path

from . import views

app_name = "notes"
urlpatterns = [
    path("notes/personne/<uuid:person_id>/", views.person_notes, name="person_list"),
    path("notes/personne/<uuid:person_id>/nouvelle/", views.note_create, name="create"),
    path("notes/<uuid:public_id>/", views.note_detail, name="detail"),
    path("notes/<uuid:public_id>/modifier/", views.note_edit, name="edit"),
    path("notes/<uuid:public_id>/historique/", views.note_history, name="history"),
    path("recherche/", views.search, name="search"),
]
