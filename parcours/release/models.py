"""Release preparation (milieu fermé): the checklist from the expected release date."""
