"""Next-page strategies: pure functions of (request, status, headers, body)."""

from __future__ import annotations

from semaphore_async._pagination import (
    next_from_cursor,
    next_from_cursor_before,
    next_from_has_more,
    next_from_link,
    next_from_page_token,
    no_next_page,
    parse_link_header,
    total_pages_from_headers,
)
from semaphore_async._query import PageRequest

WF = "/api/v1alpha/plumber-workflows"
# Recorded from public-api/v1alpha/test/router/wf_list_test.exs (server-behaviour §1a).
SERVER_LINK = (
    "<http://localhost:4004/api/v1alpha/plumber-workflows?branch_name=staging&page=2"
    '&page_size=1&project_id=P>; rel="next", '
    "<http://localhost:4004/api/v1alpha/plumber-workflows?branch_name=staging&page=1"
    '&page_size=1&project_id=P>; rel="first", '
    "<http://localhost:4004/api/v1alpha/plumber-workflows?branch_name=staging&page=2"
    '&page_size=1&project_id=P>; rel="last"'
)


def test_parse_link_header() -> None:
    """Every rel is found, in any order, with or without quotes."""
    links = parse_link_header(SERVER_LINK)
    assert set(links) == {"next", "first", "last"}
    assert parse_link_header("<https://a/x?page=3>; rel=next")["next"] == "https://a/x?page=3"
    assert (
        parse_link_header('<https://a/x?page=3>; rel="next last"')["last"] == "https://a/x?page=3"
    )
    assert parse_link_header("") == {}
    assert parse_link_header("garbage, <>, ;;") == {}


def test_link_next_is_rebased_path_and_query() -> None:
    """Only path and query of the http:// link are kept; host and scheme are dropped."""
    request = PageRequest(WF, (("project_id", "P"), ("branch_name", "staging")))
    nxt = next_from_link(request, {"link": SERVER_LINK}, [])
    assert nxt == PageRequest(
        WF, (("branch_name", "staging"), ("page", "2"), ("page_size", "1"), ("project_id", "P"))
    )


def test_link_without_next_ends() -> None:
    """Last page: prev/first/last only."""
    last = '<http://h/api/v1alpha/pipelines?page=1>; rel="prev", <http://h/x?page=1>; rel="first"'
    assert next_from_link(PageRequest(WF), {"link": last}, []) is None
    assert next_from_link(PageRequest(WF), {}, []) is None


def test_link_keeps_encoded_values() -> None:
    """Form-encoded values (spaces as +, %2F) decode to the original parameter values."""
    link = '<http://h/api/v1alpha/pipelines?branch_name=ms%2Fa+b&page=2>; rel="next"'
    nxt = next_from_link(PageRequest("/x"), {"link": link}, [])
    assert nxt is not None and nxt.param("branch_name") == "ms/a b"


def test_total_pages() -> None:
    """total-pages header first, then rel="last"."""
    assert total_pages_from_headers({"total-pages": "7"}) == 7
    assert total_pages_from_headers({"link": SERVER_LINK}) == 2
    assert total_pages_from_headers({}) is None
    assert total_pages_from_headers({"total-pages": "x"}) is None


def test_has_more() -> None:
    """Projects: page + 1 while x-has-more is true, even after a short page."""
    first = PageRequest("/api/v1alpha/projects")
    nxt = next_from_has_more(first, {"x-has-more": "true", "x-page": "1"}, [])
    assert nxt == PageRequest("/api/v1alpha/projects", (("page", "2"),))
    assert next_from_has_more(nxt, {"x-has-more": "true"}, []) == PageRequest(
        "/api/v1alpha/projects", (("page", "3"),)
    )
    assert next_from_has_more(nxt, {"x-has-more": "false"}, [{}]) is None
    assert next_from_has_more(nxt, {}, [{}]) is None


def test_cursor() -> None:
    """Agents: the body's cursor, until it is empty."""
    first = PageRequest("/api/v1alpha/agents", (("page_size", "200"),))
    nxt = next_from_cursor(first, {}, {"agents": [], "cursor": "abc="})
    assert nxt == PageRequest("/api/v1alpha/agents", (("page_size", "200"), ("cursor", "abc=")))
    assert next_from_cursor(nxt, {}, {"agents": [], "cursor": ""}) is None


def test_cursor_before() -> None:
    """Deployment history walks back with cursor_before; 0 or absent ends."""
    first = PageRequest("/api/v1alpha/deployment_targets/t/history")
    body = {"deployments": [], "cursor_before": 1686129844000000, "cursor_after": 0}
    nxt = next_from_cursor_before(first, {}, body)
    assert nxt is not None
    assert nxt.param("cursor_type") == "BEFORE" and nxt.param("cursor_value") == "1686129844000000"
    assert next_from_cursor_before(nxt, {}, {"cursor_before": 0, "cursor_after": 5}) is None
    assert next_from_cursor_before(nxt, {}, {"deployments": []}) is None


def test_page_token() -> None:
    """Gateway lists: next_page_token, echoed as page_token, until empty."""
    first = PageRequest("/api/v1alpha/dashboards", (("page_size", "100"),))
    nxt = next_from_page_token(
        first, {}, {"dashboards": [], "next_page_token": "g3QAAAACZAACaWRtAAAA"}
    )
    assert nxt is not None and nxt.param("page_token") == "g3QAAAACZAACaWRtAAAA"
    again = next_from_page_token(nxt, {}, {"next_page_token": "other"})
    assert again is not None and [v for k, v in again.params if k == "page_token"] == ["other"]
    assert next_from_page_token(nxt, {}, {"next_page_token": ""}) is None


def test_single_page() -> None:
    """Whole lists have no next page."""
    assert no_next_page(PageRequest("/x"), {"link": SERVER_LINK}, []) is None
