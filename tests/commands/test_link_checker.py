"""The link checker against local servers on 127.0.0.1 (issue: link health)."""

import json
import shutil
import signal
import subprocess
import sys
import time

import pytest

from wachhund.commands.linkcheck import check
from wachhund.links.state import load_state
from tests.linkserver import LinkServer, refused_url
from tests.support import write_link_state

FAST = ["--timeout", "1.5", "--retries", "1", "--backoff", "0.05", "--retry-after-cap", "2", "--host-interval", "0", "--per-host", "8"]


@pytest.fixture
def server():
    srv = LinkServer().start()
    yield srv
    srv.close()


@pytest.fixture
def checker_project(project):
    """The project copy with one post citing the given URLs and no other data."""
    shutil.rmtree(project / "content" / "posts")
    (project / "content" / "posts").mkdir()
    shutil.rmtree(project / "data" / "ozg")  # its URLs are real hosts; tests never go out

    def write(urls):
        lines = ["Title: Linktest", "Date: 2026-11-01", "", *[f"- [Link {i}]({u})" for i, u in enumerate(urls)], ""]
        (project / "content/posts/links.md").write_text("\n".join(lines), encoding="utf-8")
        return project

    return write


def run(project, *args):
    return check.main(["--root", str(project), *FAST, *args])


def state_of(project):
    return load_state(project / "data" / "link-health.jsonl")


def test_verdicts_for_every_behaviour(server, checker_project):
    b = server.base
    urls = {
        "ok": f"{b}/ok",
        "head405": f"{b}/head405",
        "head404": f"{b}/head404",
        "301": f"{b}/301",
        "302": f"{b}/302",
        "loop": f"{b}/loop-a",
        "404": f"{b}/404",
        "410": f"{b}/410",
        "500": f"{b}/500",
        "429": f"{b}/429",
        "slow": f"{b}/slow",
        "endless": f"{b}/endless",
        "drip": f"{b}/drip",
        "reset": f"{b}/reset",
        "refused": refused_url(),
        "utf8": f"{b}/gr%C3%BCndungen-duisburg",
    }
    project = checker_project(urls.values())
    started = time.monotonic()
    assert run(project, "--allow-host", "127.0.0.1", "--now", "2026-11-01T10:00:00") == 0
    took = time.monotonic() - started
    state = state_of(project)
    verdict = {name: state[url]["verdict"] for name, url in urls.items()}
    assert verdict == {
        "ok": "ok", "head405": "ok", "head404": "ok", "301": "moved", "302": "ok",
        "loop": "suspect", "404": "suspect", "410": "suspect", "500": "suspect", "429": "ok",
        "slow": "suspect", "endless": "ok", "drip": "suspect", "reset": "suspect",
        "refused": "suspect", "utf8": "ok",
    }
    assert state[urls["301"]]["final_url"] == f"{b}/ok"
    assert state[urls["302"]].get("final_url") == f"{b}/ok"
    assert state[urls["loop"]]["error"] == "redirect-loop"
    assert state[urls["404"]]["status"] == 404 and state[urls["410"]]["status"] == 410
    assert server.counts["500"] == 2  # one retry
    assert server.counts["429"] == 2  # waited for Retry-After, then 200
    assert state[urls["slow"]]["error"] == "timeout" and state[urls["drip"]]["error"] == "timeout"
    assert state[urls["reset"]]["error"] == "reset"
    assert state[urls["refused"]]["error"] == "refused"
    assert ("HEAD", "/head405") in server.seen and ("GET", "/head405") in server.seen
    assert state[urls["ok"]]["used_in"] == ["content/posts/links.md:4"]
    assert took < 30  # the 60 s answers were cut off by the time limit


def test_three_failures_over_three_days_rule(server, checker_project):
    url = f"{server.base}/404"
    project = checker_project([url])
    allow = ["--allow-host", "127.0.0.1"]
    assert run(project, *allow, "--now", "2026-11-01T10:00:00") == 0
    assert run(project, *allow, "--now", "2026-11-01T12:00:00") == 0  # not due yet: skipped
    assert state_of(project)[url]["failures"] == 1
    assert run(project, *allow, "--all", "--now", "2026-11-01T13:00:00") == 0
    assert run(project, *allow, "--all", "--now", "2026-11-01T14:00:00") == 0
    record = state_of(project)[url]
    assert record["failures"] == 3 and record["verdict"] == "suspect"  # 3 failures, but within hours
    assert run(project, *allow, "--now", "2026-11-04T09:00:00") == 0
    assert state_of(project)[url]["verdict"] == "suspect"  # still < 3 days since the first failure
    assert run(project, *allow, "--all", "--now", "2026-11-04T10:00:00") == 1  # newly dead -> exit 1
    record = state_of(project)[url]
    assert record["verdict"] == "dead" and record["failing_since"] == "2026-11-01T10:00:00"
    # one success resets it
    (project / "content/posts/links.md").write_text(
        (project / "content/posts/links.md").read_text().replace("/404", "/ok"), encoding="utf-8"
    )
    state = state_of(project)
    record = state.pop(url)
    state[f"{server.base}/ok"] = record
    write_link_state(project, state)
    assert run(project, *allow, "--all", "--now", "2026-11-05T10:00:00") == 0
    record = state_of(project)[f"{server.base}/ok"]
    assert record["verdict"] == "ok" and record["failures"] == 0 and record.get("failing_since") is None


def test_private_addresses_refused_by_default(server, checker_project):
    port = server.server_address[1]
    urls = [f"{server.base}/ok", f"http://localhost:{port}/ok", f"http://[::1]:{port}/ok", f"http://10.1.2.3:{port}/ok"]
    project = checker_project(urls)
    assert run(project, "--now", "2026-11-01T10:00:00") == 0
    state = state_of(project)
    assert all(state[u]["error"] == "blocked" for u in urls), {u: state[u] for u in urls}
    assert server.seen == []  # not a single request reached the server


def test_redirect_to_loopback_refused_on_every_hop(server, checker_project):
    url = f"{server.base}/to-other-loopback"
    project = checker_project([url])
    assert run(project, "--allow-host", "127.0.0.1", "--now", "2026-11-01T10:00:00") == 0
    assert state_of(project)[url]["error"] == "blocked"
    assert [p for _m, p in server.seen] == ["/to-other-loopback"]


def test_name_resolving_to_loopback_refused(server, checker_project):
    url = f"http://localhost:{server.server_address[1]}/ok"
    project = checker_project([url])
    # 127.0.0.1 is allowed as a literal; the name localhost still resolves to loopback
    assert run(project, "--allow-host", "127.0.0.1", "--now", "2026-11-01T10:00:00") == 0
    assert state_of(project)[url]["error"] == "blocked"


def test_archive_records_snapshot(server, checker_project):
    url = f"{server.base}/ok"
    project = checker_project([url])
    assert run(project, "--allow-host", "127.0.0.1", "--archive", "--archive-url", server.base, "--now", "2026-11-01T10:00:00") == 0
    record = state_of(project)[url]
    assert record["archive_url"] == f"{server.base}/web/20261122100000/{url}"
    assert record["archived_at"] == "2026-11-22T10:00:00"  # the snapshot's own time, not the clock
    assert any(p.startswith("/save/") for _m, p in server.seen)


def test_archive_variants_rate_limit_and_resume(server, checker_project):
    """Content-Location and redirect answers, a 429 with Retry-After, a failure; one request
    at a time at the configured rate; a second run asks only for what is still missing."""
    b = server.base
    urls = [f"{b}/ok", f"{b}/snap-redirect", f"{b}/snap-rate", f"{b}/snap-fail", f"{b}/404"]
    project = checker_project(urls)
    args = ["--allow-host", "127.0.0.1", "--archive", "--archive-url", b, "--archive-rate", "120"]
    assert run(project, *args, "--now", "2026-11-01T10:00:00") == 0
    state = state_of(project)
    assert state[f"{b}/ok"]["archived_at"] == "2026-11-22T10:00:00"
    assert state[f"{b}/snap-redirect"]["archive_url"] == f"{b}/web/20261120083000/{b}/snap-redirect"
    assert state[f"{b}/snap-redirect"]["archived_at"] == "2026-11-20T08:30:00"
    assert state[f"{b}/snap-rate"]["archived_at"] == "2026-11-22T10:00:00"  # after waiting for Retry-After
    assert "archive_url" not in state[f"{b}/snap-fail"]
    assert "archive_url" not in state[f"{b}/404"]  # a failing page is not archived
    saves = [p for _m, p in server.seen if p.startswith("/save/")]
    assert len(saves) == 5  # four pages, one of them twice (429)
    gaps = [later - earlier for earlier, later in zip(server.save_times, server.save_times[1:])]
    assert min(gaps) >= 0.49, gaps  # 120 a minute: one request at a time, at least 0.5 s apart
    server.seen.clear()
    assert run(project, *args, "--now", "2026-11-02T10:00:00") == 0
    assert [p for _m, p in server.seen if p.startswith("/save/")] == [f"/save/{b}/snap-fail"]


def test_watched_page_unchanged_since(server, checker_project):
    url = f"{server.base}/ok"
    project = checker_project([url])
    conf = project / "pelicanconf.py"
    conf.write_text(conf.read_text().replace('"WATCH": [', f'"WATCH": ["{url}", '), encoding="utf-8")
    allow = ["--allow-host", "127.0.0.1"]
    assert run(project, *allow, "--now", "2026-09-01T10:00:00") == 0
    first = state_of(project)[url]
    assert first["fingerprint"].startswith("sha256:") and first["unchanged_since"] == "2026-09-01T10:00:00"
    assert run(project, *allow, "--all", "--now", "2026-11-01T10:00:00") == 0
    assert state_of(project)[url]["unchanged_since"] == "2026-09-01T10:00:00"
    server.page_body = b"Neue Fassung"
    assert run(project, *allow, "--all", "--now", "2026-11-02T10:00:00") == 0
    assert state_of(project)[url]["unchanged_since"] == "2026-11-02T10:00:00"


def test_a_run_rewrites_only_the_lines_of_the_links_it_checked(server, checker_project):
    """One record a line, in URL order: the daily commit's diff shows exactly what changed."""
    project = checker_project([f"{server.base}/ok", f"{server.base}/404"])
    state_file = project / "data" / "link-health.jsonl"
    assert run(project, "--allow-host", "127.0.0.1", "--now", "2026-11-01T10:00:00") == 0
    before = state_file.read_text(encoding="utf-8").splitlines()
    assert [json.loads(line)["url"] for line in before] == [f"{server.base}/404", f"{server.base}/ok"]
    assert "null" not in before[1]  # unset fields are left out, not written as null
    # A day later only the failing link is due again (working ones wait a week).
    assert run(project, "--allow-host", "127.0.0.1", "--now", "2026-11-02T10:00:00") == 0
    after = state_file.read_text(encoding="utf-8").splitlines()
    assert after[1] == before[1] and after[0] != before[0]
    assert json.loads(after[0])["failures"] == 2


def test_connections_are_reused_when_links_are_grouped_by_server(checker_project):
    """The links of a post come sorted, so grouped by server. Requests must still
    spread over the servers and reuse their connections: a freed slot handed to
    another server opens a new connection (TLS handshake and all) for every few links."""
    servers = [LinkServer().start() for _ in range(4)]
    try:
        urls = [f"{srv.base}/page/{i}" for srv in servers for i in range(40)]
        project = checker_project(urls)
        assert run(project, "--allow-host", "127.0.0.1", "--concurrency", "8", "--all") == 0
        assert all(record["verdict"] == "ok" for record in state_of(project).values())
        opened = sum(srv.connections for srv in servers)
        # 8 at a time over 4 servers: about 2 each, a few more as the share shifts (10-12 here).
        # Leaving the choice to aiohttp's pool, which wakes a random server's request, opened 28-29.
        assert opened <= 2 * 8, f"{opened} connections for {len(urls)} links"
    finally:
        for srv in servers:
            srv.close()


def test_requests_to_one_host_keep_the_interval(server, checker_project):
    urls = [f"{server.base}/page/{i}" for i in range(5)]
    project = checker_project(urls)
    started = time.monotonic()
    assert run(project, "--allow-host", "127.0.0.1", "--all", "--host-interval", "0.3") == 0
    times = sorted(when for _method, path, when in server.timed if path.startswith("/page/") and when > started)
    assert len(times) == 5
    gaps = [b - a for a, b in zip(times, times[1:])]
    # Seen by the server, so a gap can shrink by how much later one request arrived than the
    # next (a new connection, a busy machine): 0.1 s of tolerance. Without the interval: 0.0003 s.
    assert min(gaps) >= 0.2, gaps


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGINT])
def test_killed_run_leaves_valid_state(server, checker_project, sig):
    # Ten links answer within 3 s (the first checkpoint is after 2 s); the other thirty only once
    # released, after the kill: the run cannot end before it, however slow the machine.
    urls = [f"{server.base}/slowish?n={i}" for i in range(10)] + [f"{server.base}/wait?n={i}" for i in range(30)]
    project = checker_project(urls)
    cmd = [
        sys.executable, "-m", "wachhund.commands.linkcheck", "--root", str(project), "--allow-host", "127.0.0.1",
        "--per-host", "1", "--host-interval", "0", "--now", "2026-11-01T10:00:00",
    ]
    # SIGINT as in a terminal: a suite started in the background (`cmd &` in a script) passes its
    # children SIGINT ignored, and the checker would never see the interrupt.
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    state_file = project / "data" / "link-health.jsonl"
    deadline = time.monotonic() + 20
    while not state_file.exists() and time.monotonic() < deadline:
        time.sleep(0.05)  # wait for the first checkpoint, then kill mid-run
    proc.send_signal(sig)
    proc.wait(timeout=20)
    server.release.set()
    state = load_state(state_file)  # parses and validates: never a half-written file
    checked = [u for u in urls if state.get(u, {}).get("last_checked")]
    assert 0 < len(checked) < len(urls)
    assert not list(state_file.parent.glob(".link-health.jsonl.*"))  # no stray temp files
    if sig == signal.SIGINT:
        assert proc.returncode == 130


LINK_FORMS = """\
Title: Alle Formen
Date: 2026-11-01

Ein [Inline-Link](https://a.example/seite?x=1&amp;y=2) und ein Bild ![Alt](https://b.example/bild.png "Titel").
Ein Autolink <https://c.example/pfad> und ein [Referenz-Link][ref] und [noch einer][].
Wikipedia mit Klammern: [OZG](https://de.wikipedia.org/wiki/Onlinezugangsgesetz_(Deutschland)).
<a href="https://d.example/html">rohes HTML</a> und <img src='https://e.example/i.png' alt="x">
Nicht verlinkt: `https://code.example/inline` und der blanke Text https://bare.example/nicht.

```
[im Codeblock](https://fence.example/nicht)
<https://fence.example/auch-nicht>
```

{% ozg tabelle duisburg %}

[ref]: https://f.example/referenz
[noch einer]: <https://g.example/spitz>
"""


def test_collect_reads_the_links_the_rendered_page_has(tmp_path):
    """Links are found in the source without rendering it; Python-Markdown (the build's
    renderer) is the oracle, on every form of link and on every real post."""
    import re
    from html import unescape

    import markdown

    from wachhund.commands.linkcheck.collect import collect
    from tests.support import ROOT
    from wachhund.lib.source import links

    href = re.compile(r"""<(?:a|img)\b[^>]*?\b(?:href|src)\s*=\s*(["'])(https?://[^"'\s>]+)\1""", re.I)

    def rendered(text):
        body = "\n".join("" if re.match(r"^\s*\{%.*%\}\s*$", line) else line for line in text.split("\n"))
        html = markdown.Markdown(extensions=["meta", "extra", "sane_lists"]).convert(body)
        return {unescape(m.group(2)) for m in href.finditer(html)}

    sources = [LINK_FORMS] + [p.read_text(encoding="utf-8") for p in sorted((ROOT / "content").rglob("*.md"))]
    for text in sources:
        assert {url for url, _line in links(text)} == rendered(text)
    assert len(rendered(LINK_FORMS)) == 8
    (tmp_path / "content").mkdir()
    (tmp_path / "data").mkdir()
    (tmp_path / "content" / "formen.md").write_text(LINK_FORMS, encoding="utf-8")
    found = collect(tmp_path, tmp_path / "data" / "link-health.jsonl")
    assert found["https://a.example/seite?x=1&y=2"] == ["content/formen.md:4"]
    assert found["https://f.example/referenz"] == ["content/formen.md:17"]
    assert not any("code.example" in u or "fence.example" in u or "bare.example" in u for u in found)


def _nothing_listens(host):
    """An address on `host` (any of 127.0.0.0/8 is this machine) where nothing listens."""
    port = int(refused_url().rsplit(":", 1)[1].rstrip("/"))
    return f"http://{host}:{port}/seite"


def test_a_run_in_which_no_server_answers_counts_no_failure(checker_project, capsys):
    """Our own network down for three days must not declare every cited page dead (the feeds
    would announce it): when links on three or more servers fail and none answers, nothing counts."""
    project = checker_project([_nothing_listens(f"127.0.0.{n}") for n in (2, 3, 4)])
    for day in ("01", "02", "03", "04"):
        assert run(project, "--allow-private", "--now", f"2026-11-{day}T10:00:00") == check.NO_ANSWER
    state = state_of(project)
    assert {record["verdict"] for record in state.values()} == {"unchecked"}
    assert not any(record.get("failures") for record in state.values())
    out = capsys.readouterr().out
    assert "Kein Server hat geantwortet (3 Links auf 3 Servern)" in out and "NEU TOT" not in out


def test_failures_count_when_a_link_that_worked_still_answers(server, checker_project, capsys):
    """On most days only failing links are due (working ones are checked weekly): a link that
    worked before is then asked too, and its answer shows that the network is fine."""
    urls = [_nothing_listens(f"127.0.0.{n}") for n in (2, 3, 4)]
    project = checker_project([*urls, f"{server.base}/ok"])
    assert run(project, "--allow-private", "--now", "2026-11-01T10:00:00") == 0
    assert run(project, "--allow-private", "--now", "2026-11-02T10:00:00") == 0  # /ok is not due: asked as a probe
    assert run(project, "--allow-private", "--now", "2026-11-04T10:00:00") == 1  # three failures over three days
    state = state_of(project)
    assert [state[url]["verdict"] for url in urls] == ["dead"] * 3
    assert state[f"{server.base}/ok"]["verdict"] == "ok"
    assert "NEU TOT" in capsys.readouterr().out


def test_failures_do_not_count_when_the_links_that_worked_do_not_answer_either(server, checker_project, capsys):
    urls = [_nothing_listens(f"127.0.0.{n}") for n in (2, 3, 4)]
    project = checker_project([*urls, f"{server.base}/ok"])
    assert run(project, "--allow-private", "--now", "2026-11-01T10:00:00") == 0
    server.close()  # the one server that answered is gone too: as if our network were
    for day in ("02", "03", "04", "05"):
        assert run(project, "--allow-private", "--now", f"2026-11-{day}T10:00:00") == check.NO_ANSWER
    state = state_of(project)
    assert [state[url]["verdict"] for url in urls] == ["suspect"] * 3  # only the first day's failure counted
    assert all(state[url]["failures"] == 1 for url in urls)
    out = capsys.readouterr().out
    assert "Kein Server hat geantwortet (3 Links auf 3 Servern, auch keiner der 1 zuletzt erreichbaren)" in out
    assert "NEU TOT" not in out


def test_a_single_unreachable_server_is_counted_as_usual(checker_project):
    """Too few servers to tell our network from theirs: the failure counts."""
    url = _nothing_listens("127.0.0.2")
    project = checker_project([url])
    assert run(project, "--allow-private", "--now", "2026-11-01T10:00:00") == 0
    assert state_of(project)[url]["verdict"] == "suspect"
