from django.urls import path

from . import views

app_name = "people"
urlpatterns = [
    path("", views.caseload, name="caseload"),
    path("equipe/", views.team, name="team"),
    path("nouvelle/", views.person_create, name="create"),
    path("<uuid:public_id>/", views.person_detail, name="detail"),
    path("<uuid:public_id>/motif/", views.motif, name="motif"),
    path("<uuid:public_id>/modifier/", views.person_edit, name="edit"),
    path("<uuid:public_id>/transferer/", views.person_transfer, name="transfer"),
    path("<uuid:public_id>/adresses/nouvelle/", views.address_add, name="address_add"),
]
