"""The questionnaire files (data/questionnaires/*.json) and their table.

`sync_questionnaires(model)` loads every file (validated by `rules.assessments`) into
`QuestionnaireVersion`, at migrate time (migration 0002) and whenever a version is looked up
and missing (a flushed test database, a file added since the last migrate). A version already
loaded is never rewritten: a file whose content changed under the same version is refused
(publish a new version with its `effective_from` instead), so a past assessment always shows
the questions it was filled with.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from parcours.rules import assessments as rules

DATA_DIR = Path(__file__).resolve().parent / "data" / "questionnaires"
EVALUATION = "evaluation"
NUMERIQUE = "numerique"


def read_files(directory: Path = DATA_DIR) -> list[tuple[rules.Questionnaire, dict[str, Any], str]]:
    """Every file of `directory`, validated: (questionnaire, content, checksum)."""
    found = []
    for path in sorted(directory.glob("*.json")):
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise rules.DefinitionError(f"{path.name} : fichier illisible ({error}).") from None
        found.append(rules.load_text(text, path.name))
    rules.check_versions(q for q, _, _ in found)
    return found


def sync_questionnaires(model: Any, directory: Path = DATA_DIR) -> int:
    """Creates the versions not yet in the table; returns how many were created."""
    created = 0
    for questionnaire, content, checksum in read_files(directory):
        row, was_created = model.objects.get_or_create(
            code=questionnaire.code,
            edition=questionnaire.version,
            defaults={
                "effective_from": questionnaire.effective_from,
                "title": questionnaire.title,
                "content": content,
                "checksum": checksum,
            },
        )
        if not was_created and row.checksum != checksum:
            raise rules.DefinitionError(
                f"{questionnaire.code} version {questionnaire.version} : le fichier a changé "
                "depuis son chargement. Une version publiée ne change plus : créez une nouvelle "
                "version avec sa date d'effet."
            )
        created += int(was_created)
    return created


def version_in_force(code: str, on: date) -> Any:
    """The QuestionnaireVersion of `code` in force on `on` (the files synced first if none)."""
    from .models import QuestionnaireVersion

    def lookup() -> Any:
        return (
            QuestionnaireVersion.objects.filter(code=code, effective_from__lte=on)
            .order_by("-effective_from")
            .first()
        )

    found = lookup()
    if found is None:
        sync_questionnaires(QuestionnaireVersion)
        found = lookup()
    if found is None:
        raise rules.DefinitionError(f"Aucun questionnaire « {code} » en vigueur le {on:%d/%m/%Y}.")
    return found
