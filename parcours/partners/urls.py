"""Routes of parcours.partners (mounted under /partenaires/ by config/urls.py)."""

from django.urls import path

from . import space_views, views

app_name = "partners"

ID = "<uuid:public_id>/"

urlpatterns = [
    # The directory (SPIP staff, administrator; a partner sees its own entry).
    path("annuaire/", views.directory, name="directory"),
    path(f"annuaire/{ID}", views.profile, name="profile"),
    path(f"annuaire/{ID}modifier/", views.profile_edit, name="profile_edit"),
    path(f"annuaire/{ID}convention/", views.agreement_add, name="agreement_add"),
    # Referrals, SPIP side (from the person file).
    path("personne/<uuid:person_id>/orienter/", views.referral_create, name="referral_create"),
    path(f"orientation/{ID}", views.referral, name="referral"),
    path(f"orientation/{ID}action/", views.referral_action, name="referral_action"),
    # The partner space.
    path("mes-orientations/", space_views.inbox, name="inbox"),
    path("mes-orientations/export.csv", space_views.inbox_csv, name="inbox_csv"),
    path(f"mes-orientations/{ID}", space_views.inbox_detail, name="inbox_detail"),
    path(f"mes-orientations/{ID}action/", space_views.inbox_action, name="inbox_action"),
    path(f"mes-orientations/{ID}seance/", space_views.inbox_session, name="inbox_session"),
    path(
        f"mes-orientations/{ID}seance/<uuid:session_id>/modifier/",
        space_views.inbox_session_edit,
        name="inbox_session_edit",
    ),
    path(
        f"mes-orientations/{ID}seance/<uuid:session_id>/supprimer/",
        space_views.inbox_session_delete,
        name="inbox_session_delete",
    ),
    path(
        f"mes-orientations/{ID}attestation/",
        space_views.inbox_attestation,
        name="inbox_attestation",
    ),
]
