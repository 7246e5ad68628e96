"""The response of a document a view builds in memory (a PDF, a letter, a CSV, an archive):
shown in the browser (`inline`) or saved (`attachment`) under `filename`.

    return document(plan_pdf(...), f"plan-accompagnement-v{plan.number}.pdf")
    return document(data, "orientations.csv", CSV, attachment=True)
"""

from __future__ import annotations

from django.http import HttpResponse

PDF = "application/pdf"


def document(
    content: bytes | str, filename: str, content_type: str = PDF, *, attachment: bool = False
) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    disposition = "attachment" if attachment else "inline"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    return response
