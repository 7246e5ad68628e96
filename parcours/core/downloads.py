"""The response of a document a view builds in memory (a PDF, a letter, a CSV, an archive):
shown in the browser (`inline`) or saved (`attachment`) under `filename`.

    return document(plan_pdf(...), f"plan-accompagnement-v{plan.number}.pdf")
    return document(data, "orientations.csv", CSV, attachment=True)
"""

from __future__ import annotations

from django.http import HttpResponse
from django.utils.http import content_disposition_header

PDF = "application/pdf"


def document(
    content: bytes | str, filename: str, content_type: str = PDF, *, attachment: bool = False
) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    # Django's header: the same `filename="…"` for ASCII names, RFC 5987 for any other.
    header = content_disposition_header(attachment, filename)
    if header:
        response["Content-Disposition"] = header
    return response
