from __future__ import annotations

from typing import Any

from django import forms

from parcours.accounts.models import Role, User
from parcours.core.form_fields import field_of

from .models import URGENCY_LEVELS


class TodoFilterForm(forms.Form):
    urgence = forms.ChoiceField(
        label="Urgence", required=False, choices=[("", "Toutes"), *URGENCY_LEVELS]
    )
    referent = forms.ChoiceField(label="CPIP référent", required=False)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if user.role == Role.CPIP:
            del self.fields["referent"]
            return
        cpips = User.objects.filter(
            role=Role.CPIP, organisation__spip_id=user.spip_id, is_active=True
        ).order_by("last_name", "first_name")
        field_of(self, "referent", forms.ChoiceField).choices = [("", "Tous")] + [
            (str(c.public_id), c.get_full_name()) for c in cpips
        ]
