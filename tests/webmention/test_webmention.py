"""Webmention discovery as the W3C Recommendation says (webmention.rocks' cases as local
stand-ins) and the sending plan (the command: tests/commands/test_webmention_command.py)."""
from tests.webmentionserver import ENDPOINTS, pages

from wachhund.webmention.discovery import discover, endpoint_in_headers, link_header_values
from wachhund.webmention.state import Job, plan, record_result


def test_every_discovery_case_finds_its_endpoint():
    base = "http://example.test"
    final = {"/case/22": "/ziel/22/seite", "/case/23": "/ziel/23/seite"}  # the command follows the redirects
    for case in ENDPOINTS:
        path = final.get(case, case)
        status, headers, body = pages(base)[path]
        links = [value for name, value in headers if name.lower() == "link"]
        expected = base + ENDPOINTS[case] + ("?version=1" if case == "/case/20" else "")
        assert discover(base + path, links, "text/html; charset=utf-8", body) == expected, path


def test_link_header_parsing_keeps_quoted_commas_and_the_first_rel():
    values = list(link_header_values('<https://a.test/x,y>; title="a, b; c"; rel="webmention", <b>; rel=other'))
    assert values == [("https://a.test/x,y", {"title": "a, b; c", "rel": "webmention"}), ("b", {"rel": "other"})]
    assert endpoint_in_headers(['<a>; rel="other"; rel="webmention"'], "https://x.test/") is None
    assert endpoint_in_headers(['<a>; rel="not-webmention"'], "https://x.test/") is None


def test_html_is_only_read_when_the_page_is_html():
    body = '<link rel="webmention" href="/wm">'
    assert discover("https://x.test/p", [], "text/plain", body) is None
    assert discover("https://x.test/p", [], "application/xhtml+xml", body) == "https://x.test/wm"


def test_plan_and_results():
    a, b = ("https://s.test/1/", "https://t.test/a"), ("https://s.test/1/", "https://t.test/b")
    state = {}
    assert plan({a: "1" * 64, b: "1" * 64}, state) == [Job(*a, "1" * 64), Job(*b, "1" * 64)]
    record_result(state, Job(*a, "1" * 64), "sent", "2026-12-07T05:00:00", endpoint="https://t.test/wm", status=202)
    record_result(state, Job(*b, "1" * 64), "no-endpoint", "2026-12-07T05:00:00")
    assert plan({a: "1" * 64, b: "1" * 64}, state) == []
    assert plan({a: "2" * 64, b: "1" * 64}, state) == [Job(*a, "2" * 64)]
    assert plan({}, state) == [Job(*a, None)]  # b never reached anyone: nothing to take back
