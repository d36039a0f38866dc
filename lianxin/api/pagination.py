from __future__ import annotations

from rest_framework.pagination import CursorPagination


class CursorPage(CursorPagination):
    """Cursor pagination: pages stay stable while cases are added. Each view names its
    ordering (`cursor_ordering`), an unchanging field first."""

    page_size = 30
    page_size_query_param = "page_size"
    max_page_size = 100

    def get_ordering(self, request, queryset, view):
        return tuple(getattr(view, "cursor_ordering", ("-id",)))
