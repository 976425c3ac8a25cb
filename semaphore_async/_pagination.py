"""One paginator for every list, with one pure next-page function per scheme.

The Semaphore API pages in five ways (API.md, server-behaviour.md §1):

=====================  ==================================================  =====================
scheme                 next page                                           end
=====================  ==================================================  =====================
``link`` header        path and query of ``rel="next"``, on our origin     no ``next``
``x-has-more``         ``page + 1``                                        header not ``true``
body ``cursor``        ``cursor=<cursor>``                                 ``""``
body ``cursor_before`` ``cursor_type=BEFORE&cursor_value=<n>``             ``0`` or absent
``next_page_token``    ``page_token=<token>``                              ``""``
=====================  ==================================================  =====================

Each ``next_*`` function is pure: ``(request, headers, body) -> PageRequest | None``.
:class:`AsyncPaginator` drives them, fetching ahead while the caller consumes:
one page ahead for cursor schemes and, where the first page says how many pages there
are (``total-pages`` or a ``rel="last"`` link), a bounded window of pages at once,
still yielding in order.
"""

from __future__ import annotations

import asyncio
import math
import re
from collections import deque
from collections.abc import AsyncGenerator, Callable, Mapping
from typing import TYPE_CHECKING, Any, Final, Generic, TypeVar, cast
from urllib.parse import parse_qsl, urlsplit

import attrs

from ._errors import PaginationLoopError
from ._query import PageContext, PageRequest
from ._types import ProgressCallback

if TYPE_CHECKING:
    from ._core import Core

__all__ = [
    "DEFAULT_PREFETCH",
    "AsyncPaginator",
    "Page",
    "Scheme",
    "next_from_cursor",
    "next_from_cursor_before",
    "next_from_has_more",
    "next_from_link",
    "next_from_page_token",
    "no_next_page",
    "parse_link_header",
    "total_pages_from_headers",
]

T = TypeVar("T")

DEFAULT_PREFETCH: Final = 4
"""Pages in flight at once when the server says how many there are.

Measured on 2026-11-23 (2-core machine, emulator in-process, 100 pages of 30 workflows,
10 ms page latency, a consumer spending 10 ms a page; median of 3): one page ahead
1.67 s; windows of 2, 4 and 8 pages 1.13, 1.13 and 1.15 s, i.e. the consumer-bound
limit. 4 keeps that limit when pages are up to 3x slower than the consumer, while
bounding the load on the server and the memory held to a few pages."""

Headers = Mapping[str, str]
NextPage = Callable[[PageRequest, Headers, Any], "PageRequest | None"]


@attrs.frozen
class Page(Generic[T]):
    """One page of a list: its items, where it came from, and where the next one is.

    ``next_request`` is ``None`` on the last page. ``total_pages`` and ``total_items``
    are what the server said, when it says (link-paginated lists only).
    """

    items: list[T]
    request: PageRequest
    next_request: PageRequest | None
    number: int
    total_pages: int | None = None
    total_items: int | None = None


@attrs.frozen
class Scheme:
    """How one endpoint pages: where its items are and how to find the next page.

    ``items_key`` is ``None`` for a bare JSON array. ``page_at`` (link lists only)
    builds the request for page *n* so that a window of pages can be fetched at once.
    ``sensitive`` lists (secrets) keep their bodies out of any ``DecodeError``.
    """

    next_page: NextPage
    items_key: str | None = None
    page_at: Callable[[PageRequest, int], PageRequest] | None = None
    sensitive: bool = False


# --- link header ------------------------------------------------------------------------

_LINK = re.compile(r"<([^>]*)>\s*((?:;\s*[^;,<]*)*)")
_REL = re.compile(r"""rel\s*=\s*"?([^";,]*)"?""", re.IGNORECASE)


def parse_link_header(value: str) -> dict[str, str]:
    """Map each ``rel`` of an RFC 8288 ``link`` header to its URL."""
    links: dict[str, str] = {}
    for match in _LINK.finditer(value):
        url, params = match.groups()
        rel = _REL.search(params)
        if rel:
            for name in rel.group(1).split():
                links.setdefault(name.lower(), url.strip())
    return links


def _rebased(url: str) -> PageRequest:
    # Only the path and query of a link are used: the server writes http:// links behind
    # its HTTPS ingress, and the token must never follow a link to another host.
    parts = urlsplit(url)
    return PageRequest(parts.path or "/", tuple(parse_qsl(parts.query, keep_blank_values=True)))


def next_from_link(request: PageRequest, headers: Headers, body: Any) -> PageRequest | None:
    """``rel="next"`` of the ``link`` header, re-based on the client's origin."""
    link = parse_link_header(headers.get("link", "")).get("next")
    return _rebased(link) if link else None


def total_pages_from_headers(headers: Mapping[str, str]) -> int | None:
    """``total-pages``, else the ``page`` of the ``rel="last"`` link, else ``None``."""
    raw = headers.get("total-pages")
    if raw is None:
        last = parse_link_header(headers.get("link", "")).get("last")
        raw = _rebased(last).param("page") if last else None
    try:
        return int(raw) if raw is not None else None
    except ValueError:
        return None


def _total_items(headers: Mapping[str, str]) -> int | None:
    raw = headers.get("total")
    return int(raw) if raw is not None and raw.isdigit() else None


def with_page(request: PageRequest, number: int) -> PageRequest:
    """``request`` with its ``page`` parameter set to ``number``."""
    return request.with_params(page=str(number))


# --- the other schemes --------------------------------------------------------------------


def next_from_has_more(request: PageRequest, headers: Headers, body: Any) -> PageRequest | None:
    """Projects: ``page + 1`` while ``x-has-more`` is ``true`` (pages can be short)."""
    if headers.get("x-has-more", "").strip().lower() != "true":
        return None
    current = request.param("page") or headers.get("x-page") or "1"
    return request.with_params(page=str(int(current) + 1))


def next_from_body(key: str, param: str, **fixed: str) -> NextPage:
    """The scheme of a cursor the body carries under ``key`` and the server reads as ``param``.

    ``fixed`` parameters go with every cursor. An absent, empty or ``0`` cursor ends the
    list: agents and gateway lists end on ``""``, deployment history on ``0``.
    """

    def next_page(request: PageRequest, headers: Headers, body: Any) -> PageRequest | None:
        cursor = body.get(key) if isinstance(body, dict) else None
        if not cursor or str(cursor) == "0":
            return None
        return request.with_params(**fixed, **{param: str(cursor)})

    return next_page


next_from_cursor: Final = next_from_body("cursor", "cursor")
"""Agents: the body's ``cursor``."""
next_from_cursor_before: Final = next_from_body(
    "cursor_before", "cursor_value", cursor_type="BEFORE"
)
"""Deployment history: walk back with ``cursor_before``."""
next_from_page_token: Final = next_from_body("next_page_token", "page_token")
"""Gateway lists: the body's ``next_page_token``."""


def no_next_page(request: PageRequest, headers: Headers, body: Any) -> PageRequest | None:
    """Lists the server returns whole (deployment targets, agent types)."""
    return None


LINK: Final = Scheme(next_from_link, page_at=with_page)
HAS_MORE: Final = Scheme(next_from_has_more)


# --- the paginator ---------------------------------------------------------------------


class AsyncPaginator(Generic[T]):
    """An async iterator over every item of a list, across all its pages.

    ::

        async for wf in sem.workflows.list(project_id):          # items
            ...
        async for page in sem.workflows.list(project_id).pages():  # Page objects
            ...
        wfs = await sem.workflows.list(project_id).collect(limit=100)

    Nothing is fetched until iteration starts, and each iteration starts from the first
    page again. While the caller works on one page the next is already on its way; where
    the server says how many pages there are, up to ``prefetch`` pages are in flight at
    once, and items still come out in order. Breaking out of the loop cancels whatever
    was in flight. A page that fails (after the client's retries) raises its usual
    exception with ``exc.page_request`` set; :meth:`resume_from` continues from there.
    A server that hands back a cursor, token or link it already gave raises
    :class:`~semaphore_async.PaginationLoopError` instead of looping.
    """

    def __init__(
        self,
        core: Core,
        first: PageRequest,
        scheme: Scheme,
        item_type: type[T],
        *,
        prefetch: int = DEFAULT_PREFETCH,
    ) -> None:
        if prefetch < 1:
            raise ValueError(f"prefetch must be at least 1, got {prefetch}")
        self._core = core
        self._first = first
        self._scheme = scheme
        self._item_type = item_type
        self._prefetch = prefetch

    def __repr__(self) -> str:
        return f"<AsyncPaginator[{self._item_type.__name__}] GET {self._first}>"

    @property
    def first_request(self) -> PageRequest:
        """The request of the first page."""
        return self._first

    def with_prefetch(self, prefetch: int) -> AsyncPaginator[T]:
        """A copy that keeps up to ``prefetch`` pages in flight where the page count is known."""
        return AsyncPaginator(
            self._core, self._first, self._scheme, self._item_type, prefetch=prefetch
        )

    def resume_from(self, request: PageRequest) -> AsyncPaginator[T]:
        """A paginator that starts at ``request``, e.g. ``exc.page_request`` of a failed walk."""
        return AsyncPaginator(
            self._core, request, self._scheme, self._item_type, prefetch=self._prefetch
        )

    def __aiter__(self) -> AsyncGenerator[T, None]:
        return self._items()

    async def _items(self) -> AsyncGenerator[T, None]:
        pages = self._walk(limit=None)
        try:
            async for page in pages:
                for item in page.items:
                    yield item
        finally:
            await pages.aclose()

    def pages(self) -> AsyncGenerator[Page[T], None]:
        """Iterate over :class:`Page` objects instead of items.

        For deterministic clean-up when stopping early, close it:
        ``async with contextlib.aclosing(paginator.pages()) as pages: ...``.
        """
        return self._walk(limit=None)

    async def collect(
        self, limit: int | None = None, *, progress: ProgressCallback | None = None
    ) -> list[T]:
        """Every item in a list, or the first ``limit`` items.

        With ``limit`` the walk never fetches more than one page beyond the pages that
        hold those items. ``progress(done, total)`` is called after each page.
        """
        if limit is not None and (isinstance(limit, bool) or limit < 0):
            raise ValueError(f"limit must be a non-negative integer, got {limit!r}")
        items: list[T] = []
        if limit == 0:
            return items
        pages = self._walk(limit=limit)
        try:
            async for page in pages:
                items.extend(page.items)
                if progress is not None:
                    total = page.total_items
                    if limit is not None:
                        total = min(limit, total) if total is not None else None
                    progress(min(len(items), limit) if limit is not None else len(items), total)
        finally:
            await pages.aclose()
        return items[:limit] if limit is not None else items

    async def _fetch(self, request: PageRequest, number: int) -> Page[T]:
        core = self._core
        page = PageContext(request, number)
        response = await core.request("GET", request.path, params=request.params, page=page)
        sensitive = self._scheme.sensitive
        body = core.decode(response, "GET", page=page, sensitive=sensitive)
        key = self._scheme.items_key
        raw = body if key is None else (body.get(key) if isinstance(body, dict) else None)
        if key is not None and raw is None and isinstance(body, dict):
            raw = []  # an empty list is often omitted
        if not isinstance(raw, list):
            want = "a JSON array" if key is None else f"an object with a {key!r} list"
            raise core.decode_error(
                response, "GET", f"expected {want}", page=page, sensitive=sensitive
            )
        items = core.structure(
            raw,
            cast("type[list[T]]", list.__class_getitem__(self._item_type)),
            response=response,
            method="GET",
            page=page,
            sensitive=sensitive,
        )
        headers = response.headers
        next_request = self._scheme.next_page(request, headers, body)
        return Page(
            items=items,
            request=request,
            next_request=next_request,
            number=number,
            total_pages=total_pages_from_headers(headers),
            total_items=_total_items(headers),
        )

    async def _walk(self, limit: int | None) -> AsyncGenerator[Page[T], None]:
        in_flight: deque[tuple[int, PageRequest, asyncio.Task[Page[T]]]] = deque()
        seen = {self._first}
        try:
            number = 1
            page = await self._fetch(self._first, number)
            template = page.next_request
            windowed = self._scheme.page_at is not None and page.total_pages is not None
            # Page numbers on the server are offset when the walk resumes mid-list.
            offset = int(self._first.param("page") or 1) - 1 if windowed else 0
            scheduled = 1
            have = 0
            per_page = max(len(page.items), 1)
            loop_error: PaginationLoopError | None = None
            while True:
                have += len(page.items)
                last = page.next_request is None or (limit is not None and have >= limit)
                if last:
                    await _cancel(in_flight)
                else:
                    cap = (
                        number + math.ceil((limit - have) / per_page)
                        if limit is not None
                        else math.inf
                    )
                    if windowed and template is not None:
                        assert self._scheme.page_at is not None and page.total_pages is not None
                        target = min(page.total_pages - offset, number + self._prefetch, cap)
                        while scheduled < target:
                            scheduled += 1
                            req = self._scheme.page_at(template, scheduled + offset)
                            in_flight.append((scheduled, req, self._spawn(req, scheduled)))
                    if not in_flight and number < cap:
                        # Cursor schemes, or a link list that grew past its first count.
                        assert page.next_request is not None
                        nxt = page.next_request
                        if nxt in seen:
                            # This page's items are new; yield them, then stop the loop.
                            loop_error = self._loop_error(nxt, number)
                        else:
                            seen.add(nxt)
                            scheduled = number + 1
                            in_flight.append((scheduled, nxt, self._spawn(nxt, scheduled)))
                yield page
                if loop_error is not None:
                    raise loop_error
                if last or not in_flight:
                    return
                number, _request, task = in_flight.popleft()
                page = await task
        finally:
            await _cancel(in_flight)

    def _spawn(self, request: PageRequest, number: int) -> asyncio.Task[Page[T]]:
        return asyncio.ensure_future(self._fetch(request, number))

    def _loop_error(self, request: PageRequest, number: int) -> PaginationLoopError:
        return PaginationLoopError(
            f"page {number} pointed back to {request}, which was already fetched; stopping "
            "instead of looping forever. The items yielded so far are complete up to here.",
            status=200,
            method="GET",
            url=self._core.url(request.path),
        )


async def _cancel(in_flight: deque[tuple[int, PageRequest, asyncio.Task[Any]]]) -> None:
    tasks = [task for _, _, task in in_flight]
    in_flight.clear()
    for task in tasks:
        task.cancel()
    if tasks:
        # Collect the cancelled tasks (and any error they raised meanwhile) so nothing
        # is left pending or unretrieved.
        await asyncio.gather(*tasks, return_exceptions=True)
