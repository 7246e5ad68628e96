from __future__ import annotations

from functools import cached_property
from typing import Any

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest


class CappedPaginator(Paginator):
    """Counts at most `cap` rows: a COUNT over a LIMIT, so that the count of a table that only
    grows (the journal) costs the same in its tenth year as in its first. Past the cap, the
    pages stop at the cap and `capped` tells the page to say so."""

    def __init__(self, object_list: QuerySet[Any], per_page: int, cap: int) -> None:
        super().__init__(object_list, per_page)
        self.rows = object_list
        self.cap = cap

    @cached_property
    def _counted(self) -> int:
        return self.rows[: self.cap + 1].count()

    @cached_property
    def count(self) -> int:
        return min(self._counted, self.cap)

    @property
    def capped(self) -> bool:
        return self._counted > self.cap


def paginate(
    request: HttpRequest, queryset: Any, per_page: int | None = None, *, count_cap: int = 0
) -> Page:
    """Database pagination (COUNT + LIMIT/OFFSET); a bad page number shows the nearest page.
    With `count_cap`, at most that many rows are counted and paged (CappedPaginator)."""
    size = per_page or settings.PARCOURS_PAGE_SIZE
    paginator = (
        CappedPaginator(queryset, size, count_cap) if count_cap else Paginator(queryset, size)
    )
    return paginator.get_page(request.GET.get("page"))


def querystring_without_page(request: HttpRequest) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()
