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


class CountedPaginator(Paginator):
    """Pages rows the caller has already counted (e.g. by the aggregate that also counts them by
    kind for the page's summary): no COUNT query of its own."""

    def __init__(self, object_list: QuerySet[Any], per_page: int, count: int) -> None:
        super().__init__(object_list, per_page)
        self.known = count

    @cached_property
    def count(self) -> int:
        return self.known


def paginate(
    request: HttpRequest,
    queryset: Any,
    per_page: int | None = None,
    *,
    count_cap: int = 0,
    count: int | None = None,
) -> Page:
    """Database pagination (COUNT + LIMIT/OFFSET); a bad page number shows the nearest page.
    With `count_cap`, at most that many rows are counted and paged (CappedPaginator); with
    `count`, the rows are already counted (CountedPaginator)."""
    size = per_page or settings.PARCOURS_PAGE_SIZE
    paginator: Paginator
    if count is not None:
        paginator = CountedPaginator(queryset, size, count)
    elif count_cap:
        paginator = CappedPaginator(queryset, size, count_cap)
    else:
        paginator = Paginator(queryset, size)
    return paginator.get_page(request.GET.get("page"))


def querystring_without_page(request: HttpRequest) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()
