from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("connexion/", views.LoginView.as_view(), name="login"),
    path("deconnexion/", views.logout_view, name="logout"),
    path("charte/", views.charter, name="charter"),
    path("administration/utilisateurs/", views.user_list, name="user_list"),
    path("administration/utilisateurs/nouveau/", views.user_create, name="user_create"),
    path("administration/utilisateurs/<uuid:public_id>/", views.user_edit, name="user_edit"),
    path(
        "administration/utilisateurs/<uuid:public_id>/activation/",
        views.user_deactivate,
        name="user_deactivate",
    ),
]
