"""make webmention: what is sent when, the state file, and published posts as the build sees them."""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support import ROOT, build_site, copy_project
from tests.webmentionserver import ENDPOINTS, WebmentionServer

from wachhund.webmention.state import load_state

SITE = "https://blog.example.org"
POST_URL = f"{SITE}/2026/zitate/"
ENV = {"WACHHUND_SITEURL": SITE, "HEUTE": "2026-12-07"}


@pytest.fixture
def server():
    running = WebmentionServer().start()
    yield running
    running.close()


def make_project(tmp_path: Path, targets, extra_posts=()) -> Path:
    project = tmp_path / "site"
    (project / "content" / "posts").mkdir(parents=True)
    for name in ("pelicanconf.py", "publishconf.py"):
        shutil.copy2(ROOT / name, project / name)
    write_post(project, "zitate.md", "Zitate", "2026-12-01 09:00", targets)
    for name, title, date, cited, extra in extra_posts:
        write_post(project, name, title, date, cited, extra)
    return project


def write_post(project, name, title, date, targets, extra="", text="Ein Beitrag, der zitiert."):
    lines = "".join(f"- [Quelle {i}]({url})\n" for i, url in enumerate(targets, start=1))
    (project / "content" / "posts" / name).write_text(
        f"Title: {title}\nDate: {date}\nSlug: {Path(name).stem}\n{extra}Category: Test\n\n{text}\n\n{lines}",
        encoding="utf-8")


def run(project, *args, env=None):
    return subprocess.run([sys.executable, "-m", "wachhund.commands.webmention", "--root", str(project), *args],
                          cwd=project, capture_output=True, text=True, timeout=120, env={**os.environ, **ENV, **(env or {})})


def state_of(project):
    return load_state(project / "data" / "webmentions.jsonl")


def test_each_case_is_sent_once_to_its_endpoint_and_a_second_run_sends_nothing(tmp_path, server):
    cases = [server.base + path for path in ENDPOINTS] + [server.base + "/none"]
    project = make_project(tmp_path, cases)
    result = run(project, "--allow-private")
    assert result.returncode == 0, result.stdout + result.stderr
    received = server.take_posts()
    by_path = {}
    for post in received:
        by_path.setdefault(post["path"], []).append(post)
    for case, endpoint in ENDPOINTS.items():
        assert [p["form"] for p in by_path.get(endpoint, [])] == [
            {"source": [POST_URL], "target": [server.base + case]}], case
    assert not [path for path in by_path if path.startswith("/wrong/")]
    assert len(received) == len(ENDPOINTS)  # nothing for /none
    assert all(p["type"].startswith("application/x-www-form-urlencoded") for p in received)
    assert by_path["/wm/20"][0]["query"] == "version=1"  # kept in the URL, not moved into the body
    state = state_of(project)
    assert state[POST_URL, server.base + "/none"]["outcome"] == "no-endpoint"
    assert {state[POST_URL, server.base + case]["outcome"] for case in ENDPOINTS} == {"sent"}

    again = run(project, "--allow-private")
    assert again.returncode == 0, again.stderr
    assert server.take_posts() == []
    assert "0 Webmentions fällig" in again.stderr


def test_a_changed_text_sends_again_and_a_removed_link_is_notified_once_more(tmp_path, server):
    kept, dropped = server.base + "/case/1", server.base + "/case/8"
    project = make_project(tmp_path, [kept, dropped])
    assert run(project, "--allow-private").returncode == 0
    assert sorted(p["path"] for p in server.take_posts()) == ["/wm/1", "/wm/8"]

    write_post(project, "zitate.md", "Zitate", "2026-12-01 09:00", [kept], text="Nachtrag: eine Quelle weniger.")
    assert run(project, "--allow-private").returncode == 0
    assert sorted((p["path"], p["form"]["target"][0]) for p in server.take_posts()) == [
        ("/wm/1", kept), ("/wm/8", dropped)]  # the kept link for the new text, the dropped one to delete it
    assert state_of(project)[POST_URL, dropped]["removed"] is True

    assert run(project, "--allow-private").returncode == 0
    assert server.take_posts() == []  # once more means once


def test_a_server_error_is_retried_by_the_next_run(tmp_path, server):
    project = make_project(tmp_path, [server.base + "/flaky", server.base + "/gone"])
    first = run(project, "--allow-private")
    assert first.returncode == 1, first.stdout  # something is left to retry
    assert [p["path"] for p in server.take_posts()] == ["/wm/flaky"]
    state = state_of(project)
    assert state[POST_URL, server.base + "/flaky"]["outcome"] == "retry"
    assert state[POST_URL, server.base + "/flaky"]["status"] == 503
    assert state[POST_URL, server.base + "/gone"]["outcome"] == "no-endpoint"  # a 404 is no reason to retry
    second = run(project, "--allow-private")
    assert second.returncode == 0, second.stdout
    assert [p["path"] for p in server.take_posts()] == ["/wm/flaky"]
    assert state_of(project)[POST_URL, server.base + "/flaky"]["outcome"] == "sent"


def test_private_addresses_are_refused_without_allow_private(tmp_path, server):
    project = make_project(tmp_path, [server.base + "/case/1"])
    result = run(project)
    assert result.returncode == 0
    assert server.gets == [] and server.take_posts() == []
    assert state_of(project)[POST_URL, server.base + "/case/1"]["outcome"] == "refused"


def test_a_private_endpoint_is_refused_on_the_address_it_resolves_to(tmp_path, server):
    """The page is allowed (127.0.0.1), its endpoint is a name (localhost) that resolves to a
    loopback address: refused when connecting, nothing posted."""
    port = server.server_address[1]
    target = f"{server.base}/case/9"
    project = make_project(tmp_path, [target])
    server.extra["/case/9"] = (200, [], f'<link rel="webmention" href="http://localhost:{port}/wm/9">')
    result = run(project, "--allow-host", "127.0.0.1")
    assert result.returncode == 0, result.stdout + result.stderr
    assert server.gets == ["/case/9"]
    assert server.take_posts() == []
    record = state_of(project)[POST_URL, target]
    assert record["outcome"] == "refused" and "non-public" in record["error"]


def test_drafts_hidden_and_scheduled_posts_send_nothing(tmp_path, server):
    target = server.base + "/case/1"
    project = make_project(tmp_path, [], extra_posts=[
        ("entwurf.md", "Entwurf", "2026-11-01", [target], "Status: draft\n"),
        ("verborgen.md", "Verborgen", "2026-11-01", [target], "Status: hidden\n"),
        ("geplant.md", "Geplant", "2026-12-08 00:30", [target], ""),
    ])
    result = run(project, "--allow-private")
    assert result.returncode == 0 and server.take_posts() == []
    published = run(project, "--allow-private", env={"HEUTE": "2026-12-08"})
    assert [p["form"]["source"] for p in server.take_posts()] == [[f"{SITE}/2026/geplant/"]]


@pytest.mark.parametrize("siteurl", ["", "http://blog.example.org", "https://blog.example.org/?x=1", "/relativ"])
def test_it_refuses_to_run_without_a_public_https_siteurl(tmp_path, server, siteurl):
    project = make_project(tmp_path, [server.base + "/case/1"])
    result = run(project, "--allow-private", env={"WACHHUND_SITEURL": siteurl})
    assert result.returncode == 2
    assert "SITEURL" in result.stderr
    assert server.gets == [] and not (project / "data" / "webmentions.jsonl").exists()


def test_a_broken_state_file_stops_the_run_naming_file_and_line(tmp_path, server):
    project = make_project(tmp_path, [server.base + "/case/1"])
    assert run(project, "--allow-private").returncode == 0
    server.take_posts()
    state_file = project / "data" / "webmentions.jsonl"
    good = state_file.read_text(encoding="utf-8")
    record = json.loads(good)
    bad = {**record, "target": "javascript:alert(1)", "outcome": "maybe"}
    state_file.write_text(good + json.dumps(bad) + "\n{broken\n", encoding="utf-8")
    write_post(project, "zitate.md", "Zitate", "2026-12-01 09:00", [server.base + "/case/1"], text="Geändert.")
    result = run(project, "--allow-private")
    assert result.returncode == 2
    assert "data/webmentions.jsonl:2: target must be an http(s) URL" in result.stderr
    assert "data/webmentions.jsonl:2: outcome must be one of" in result.stderr
    assert "data/webmentions.jsonl:3: not valid JSON" in result.stderr
    assert server.take_posts() == [] and server.gets == ["/case/1"]  # only the first run's


def test_the_posts_it_mentions_from_are_exactly_the_ones_make_publish_writes(tmp_path, monkeypatch):
    from wachhund.commands.webmention import cutoff_day
    from wachhund.lib.settings import settings_file
    from wachhund.webmention.posts import published_posts

    project = copy_project(tmp_path / "site")
    posts = project / "content" / "posts"
    (posts / "entwurf.md").write_text("Title: Ein Entwurf\nDate: 2026-11-01\nStatus: draft\n\nText.\n", encoding="utf-8")
    (posts / "verborgen.md").write_text("Title: Verborgen\nDate: 2026-11-01\nStatus: hidden\n\nText.\n", encoding="utf-8")
    (posts / "geplant.md").write_text("Title: Geplant\nDate: 2026-12-08 00:30\n\nText.\n", encoding="utf-8")
    (posts / "heute.md").write_text("Title: Heute spät: Straße & Bürgeramt\nDate: 2026-12-07T23:30:00+01:00\n\nText.\n",
                                    encoding="utf-8")
    (posts / "zone.md").write_text("Title: Anderswo noch heute\nDate: 2026-12-07T23:30:00-02:00\n\nText.\n",
                                   encoding="utf-8")  # in Berlin already 8 December: scheduled
    (posts / "eigener.md").write_text("Title: Eigener Slug\nDate: 2026-11-02\nSlug: kurz\n\nText.\n", encoding="utf-8")
    out = tmp_path / "out"
    result = build_site(project, out, settings="publishconf.py", env=ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    written = {f"{SITE}/{p.parent.relative_to(out)}/" for p in out.glob("[0-9][0-9][0-9][0-9]/*/index.html")}
    for key, value in ENV.items():
        monkeypatch.setenv(key, value)
    settings = settings_file(project / "publishconf.py")
    found = {post.url for post in published_posts(project, settings, SITE, cutoff_day(settings))}
    assert found == written
    assert f"{SITE}/2026/heute-spaet-strasse-und-buergeramt/" in found and f"{SITE}/2026/kurz/" in found
    assert f"{SITE}/2026/anderswo-noch-heute/" not in found and f"{SITE}/2026/geplant/" not in found


def test_make_webmention_runs_without_pelican(tmp_path):
    from tests.test_layers import run_counting

    project = make_project(tmp_path, [])  # one post citing nothing: nothing leaves this machine
    result = run_counting(project, "wachhund.commands.webmention", "--root", str(project))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "[]"
