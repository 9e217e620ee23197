"""The built site in a real browser (Debian chromium via Playwright), served on
127.0.0.1 with the security headers of deploy/security-headers.conf, rendered for
the test server's origin as `make publish` renders them for SITEURL
(issue: prove the site in a real browser)."""

import functools
import os
import json
import re
import shutil
import subprocess
import sys
import time
import threading
from http.server import ThreadingHTTPServer
from urllib.parse import urlsplit

import pytest

from tests.support import CHROMIUM, ROOT, launch_chromium

AXE = ROOT / "node_modules/axe-core/axe.min.js"
VNU = ROOT / "node_modules/vnu-jar/build/dist/vnu.jar"
ARTIFACTS = ROOT / "test-artifacts" / "screenshots"
ARTICLE = "/2026/duisburg-digital-viel-ankuendigung-wenig-antrag/"
PAGES = {
    "start": "/",
    "beitrag": "/2026/575-leistungen-bis-ende-2022-was-das-onlinezugangsgesetz-verlangt-hat/",
    "beitrag-mit-tabelle": ARTICLE,
    "ozg": "/ozg/",
    "ozg-duisburg": "/ozg/duisburg/",
    "ozg-kennzahlen": "/ozg/kennzahlen/",
    "beitrag-kennzahlen": "/2026/platz-1-oder-weit-hinten-zwei-masse-fuer-denselben-stand/",
    "link-gesundheit": "/link-gesundheit/",
    "suche": "/suche/?q=Musikschule",
    "feeds": "/feeds/",
    "feed-alle": "/feeds/alle/",
    "feed-duisburg": "/feeds/ozg-aenderungen/duisburg/",
    "anfragen": "/anfragen/",
    "offene-daten": "/offene-daten/",
    "offene-daten-duisburg": "/offene-daten/duisburg/",
    "404": "/gibt-es-nicht/",
}

playwright_api = pytest.importorskip("playwright.sync_api", reason="pip package playwright missing")
if not CHROMIUM.exists():
    pytest.skip("Debian's chromium is not installed: apt-get install chromium", allow_module_level=True)


from wachhund.commands.headers import headers_for  # what `make publish` runs
from wachhund.commands.serve import Handler  # noqa: E402 - the same handler `make serve` uses


def serve(folder):
    """Serve `folder` on a free port with the production headers for that origin
    (the CSP's script-src names the origin); returns (server, origin)."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    origin = f"http://127.0.0.1:{server.server_address[1]}"
    production = type("ProductionHandler", (Handler,), {"extra_headers": tuple(headers_for(origin))})
    server.RequestHandlerClass = functools.partial(production, directory=str(folder))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, origin


@pytest.fixture(scope="module")
def base_url(site):
    server, origin = serve(site)
    yield origin
    server.shutdown()


@pytest.fixture(scope="module")
def browser():
    with playwright_api.sync_playwright() as p:
        instance = launch_chromium(p)
        yield instance
        instance.close()


class Watched:
    """A page plus everything it logged or requested."""

    def __init__(self, browser, width):
        self.context = browser.new_context(viewport={"width": width, "height": 900}, locale="de-DE")
        self.page = self.context.new_page()
        self.errors, self.outside, self.violations = [], [], []
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.context.route("**/*", self._route)
        # Every CSP violation in a document, reported through a binding (CDP: not itself under the CSP).
        self.context.expose_binding("wachhundCspViolation", lambda _source, seen: self.violations.append(seen))
        self.context.add_init_script(
            "document.addEventListener('securitypolicyviolation', e =>"
            " window.wachhundCspViolation(e.violatedDirective + ' ' + e.blockedURI));")

    def _route(self, route):
        host = urlsplit(route.request.url).hostname
        if host != "127.0.0.1":
            self.outside.append(route.request.url)
            return route.abort()
        return route.continue_()

    def close(self):
        self.context.close()


@pytest.mark.parametrize("name", list(PAGES))
def test_page_renders_without_errors_or_outside_requests(browser, base_url, name):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for width in (320, 375, 1280):
        watched = Watched(browser, width)
        response = watched.page.goto(base_url + PAGES[name], wait_until="networkidle")
        assert response.status == (404 if name == "404" else 200)
        if name == "suche":
            watched.page.wait_for_selector(".pagefind-ui__result", timeout=10000)
        watched.page.screenshot(path=str(ARTIFACTS / f"{name}-{width}.png"), full_page=True)
        errors = [e for e in watched.errors if not (name == "404" and "404" in e)]
        assert errors == [], errors
        assert watched.outside == []
        assert watched.violations == []
        # no horizontal scrolling of the page itself on a phone (tables scroll in their box)
        overflow = watched.page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 1, f"{name} at {width}px is {overflow}px too wide"
        watched.close()


@pytest.mark.skipif(not AXE.exists(), reason="axe-core missing: run `npm ci` (make test does)")
@pytest.mark.parametrize("name", list(PAGES))
def test_axe_no_serious_or_critical_violations(browser, base_url, name):
    watched = Watched(browser, 1280)
    watched.page.goto(base_url + PAGES[name], wait_until="networkidle")
    if name == "suche":
        watched.page.wait_for_selector(".pagefind-ui__result", timeout=10000)
    watched.page.evaluate(AXE.read_text(encoding="utf-8"))
    result = watched.page.evaluate(
        "axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})"
    )
    bad = [
        (v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    watched.close()
    assert bad == []


def test_table_sorting_and_filtering(browser, base_url):
    watched = Watched(browser, 1280)
    page = watched.page
    page.goto(base_url + ARTICLE, wait_until="networkidle")
    table = page.locator("table.ozg-table").first
    ids = lambda: table.locator("tbody tr").evaluate_all("rows => rows.map(r => r.dataset.ozgId)")  # noqa: E731
    assert ids() == ["10023", "10173"]
    table.get_by_role("button", name="OZG-ID").click()
    table.get_by_role("button", name="OZG-ID").click()  # second click: descending
    assert ids() == ["10173", "10023"]
    assert table.locator("th[aria-sort=descending]").count() == 1
    page.get_by_label("Tabelle filtern").first.fill("Musik")
    visible = table.locator("tbody tr:visible").evaluate_all("rows => rows.map(r => r.dataset.ozgId)")
    assert visible == ["10023"]
    assert watched.errors == []
    watched.close()


def test_a_feed_is_read_on_its_page_and_its_xml_loads_nothing(browser, base_url):
    """Readers follow links to the feed's page (German dates, every post); the XML
    itself asks the browser for no stylesheet (XSLT is being removed from browsers)."""
    watched = Watched(browser, 1280)
    requested = []
    watched.page.on("request", lambda request: requested.append(request.url))
    watched.page.goto(base_url + "/feeds/", wait_until="load")
    watched.page.get_by_role("link", name="Alle Beiträge", exact=True).click()
    watched.page.wait_for_url("**/feeds/alle/")
    assert watched.page.locator("h1").inner_text() == "Feed: Alle Beiträge"
    assert watched.page.locator(".feed-eintraege > li").count() == len(list((ROOT / "content/posts").glob("*.md")))
    assert re.fullmatch(r"\d{1,2}\. [A-Z][a-zä]+ \d{4}", watched.page.locator(".feed-eintraege time").first.inner_text())
    assert watched.errors == []
    requested.clear()
    # (Chromium's own XML viewer then logs that our CSP blocks its inline style: not ours to fix.)
    watched.page.goto(base_url + "/feeds/alle.atom.xml", wait_until="load")
    assert requested == [base_url + "/feeds/alle.atom.xml"]
    assert watched.outside == []
    watched.close()


def test_search_finds_a_post(browser, base_url):
    watched = Watched(browser, 1280)
    page = watched.page
    page.goto(base_url + "/", wait_until="networkidle")
    page.get_by_label("Blog durchsuchen").fill("Gründungen")
    page.keyboard.press("Enter")
    page.wait_for_selector(".pagefind-ui__result-link", timeout=10000)
    titles = page.locator(".pagefind-ui__result-link").all_inner_texts()
    assert any("Open Data in Duisburg" in t for t in titles), titles
    page.locator(".pagefind-ui__search-input").fill("Bewohnerparkausweis")
    page.locator(".pagefind-ui__result-link", has_text="Duisburg digital").first.wait_for(timeout=10000)
    assert watched.errors == [] and watched.outside == [] and watched.violations == []
    watched.close()


def test_scripts_run_only_from_our_two_paths(browser, site, tmp_path):
    """The CSP admits /theme/js/ and /pagefind/ of our origin, nothing else: a script that
    lands anywhere else in output/ (a static file, an old top-level search section) does
    not run, nor does anything inline, nor a script in an SVG opened on its own."""
    root = tmp_path / "output"
    root.mkdir()
    for entry in site.iterdir():  # the real site, plus what must not run
        (root / entry.name).symlink_to(entry)
    (root / "extra").mkdir()
    (root / "extra/fremd.js").write_text("window.ran.push('extra');\n", encoding="utf-8")
    (root / "pagefind-2024-2025").mkdir()
    (root / "pagefind-2024-2025/pagefind.js").write_text("window.ran.push('alte-sektion');\n", encoding="utf-8")
    (root / "extra/bild.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg"><script>document.title = "svg-inline"</script>'
        '<script href="/extra/fremd.js"/></svg>', encoding="utf-8")
    (root / "extra/probe.html").write_text(
        '<!doctype html><html lang="de"><head><meta charset="utf-8"><title>Probe</title></head><body>'
        '<script src="/theme/js/ozg-tabelle.js"></script>'  # ours: runs (defines nothing global, so probe its load)
        '<script src="/extra/fremd.js"></script><script src="/pagefind-2024-2025/pagefind.js"></script>'
        '<script>window.ran.push("inline")</script><img src="/extra/bild.svg" alt=""></body></html>', encoding="utf-8")
    server, origin = serve(root)
    try:
        watched = Watched(browser, 1280)
        page = watched.page
        page.add_init_script("window.ran = [];")
        loaded = []
        page.on("requestfinished", lambda r: loaded.append(urlsplit(r.url).path))
        page.goto(origin + "/extra/probe.html", wait_until="networkidle")
        assert "/theme/js/ozg-tabelle.js" in loaded  # our script was fetched (so the page did load scripts)
        assert page.evaluate("window.ran") == []
        assert {v.split(" ", 1)[1] for v in watched.violations} >= {
            f"{origin}/extra/fremd.js", f"{origin}/pagefind-2024-2025/pagefind.js", "inline"}, watched.violations
        assert all(v.startswith("script-src") for v in watched.violations)
        page.goto(origin + "/extra/bild.svg", wait_until="networkidle")
        assert page.title() != "svg-inline"
        # The control: the same probe with our own script path runs.
        (root / "extra/probe-ok.html").write_text(
            '<!doctype html><html lang="de"><head><meta charset="utf-8"><title>Probe</title></head><body>'
            '<script src="/pagefind/pagefind-ui.js"></script></body></html>', encoding="utf-8")
        page.goto(origin + "/extra/probe-ok.html", wait_until="networkidle")
        assert page.evaluate("typeof PagefindUI") == "function"
        watched.close()
    finally:
        server.shutdown()


@pytest.mark.skipif(not VNU.exists() or not shutil.which("java"), reason="vnu.jar or java missing (npm ci; apt-get install default-jre-headless)")
def test_every_page_is_valid_html(site):
    result = subprocess.run(
        ["java", "-jar", str(VNU), "--errors-only", "--format", "json", "--skip-non-html", str(site)],
        capture_output=True, text=True, timeout=600,
    )
    report = json.loads(result.stderr)
    assert "version" in report, result.stderr[:500]  # vnu really ran
    messages = report.get("messages", [])
    errors = [(m.get("url", "").split("/output/")[-1], m.get("lastLine"), m.get("message")) for m in messages if m.get("type") == "error"]
    assert errors == [], errors[:20]


def test_article_page_weight_under_50_kb(site):
    from bs4 import BeautifulSoup

    for url in (ARTICLE, PAGES["beitrag"]):
        html_path = site / url.strip("/") / "index.html"
        page = BeautifulSoup(html_path.read_text(encoding="utf-8"), "html.parser")
        total = html_path.stat().st_size
        assets = [l["href"] for l in page.find_all("link", rel="stylesheet")] + [s["src"] for s in page.find_all("script", src=True)]
        for asset in assets:
            assert not urlsplit(asset).netloc
            total += (site / asset.lstrip("/")).stat().st_size
        assert total < 50 * 1024, f"{url}: {total} bytes"


def test_search_merges_year_sections(browser, tmp_path):
    """A large blog's search index is split by years; one query must reach every bundle."""
    from tests.support import add_old_posts, build_site, copy_project

    project = copy_project(tmp_path / "project")
    add_old_posts(project)
    out = tmp_path / "out"
    result = build_site(project, out, extra=["-e", "PAGEFIND_SECTION_SIZE=6"])
    assert result.returncode == 0, result.stderr
    assert (out / "pagefind/2024-2025").is_dir() and (out / "pagefind/2026").is_dir()
    server, origin = serve(out)
    try:
        watched = Watched(browser, 1280)
        page = watched.page
        page.goto(f"{origin}/suche/?q=Archivbeitrag", wait_until="networkidle")
        page.locator(".pagefind-ui__result-link", has_text="Archivbeitrag 2025 Nummer 2").wait_for(timeout=10000)
        titles = page.locator(".pagefind-ui__result-link").all_inner_texts()
        assert {f"Archivbeitrag {y} Nummer {n}" for y in (2024, 2025) for n in (1, 2)} <= set(titles), titles
        page.locator(".pagefind-ui__search-input").fill("Bewohnerparkausweis")  # a 2026 post
        page.locator(".pagefind-ui__result-link", has_text="Duisburg digital").first.wait_for(timeout=10000)
        page.locator(".pagefind-ui__search-input").fill("Impressum")  # a page: the main bundle
        page.locator(".pagefind-ui__result-link", has_text="Impressum").first.wait_for(timeout=10000)
        assert watched.errors == [] and watched.outside == [] and watched.violations == []
        watched.close()
    finally:
        server.shutdown()


def test_make_serve_reloads_the_open_page_and_shows_build_errors(browser, tmp_path):
    """`make serve`: a save reloads the open page by itself; a failed build shows its
    file:line in the page (and still in the terminal); fixing it returns to the site.
    The live script is only in what the dev server serves, never in output/."""
    import socket
    import subprocess
    import urllib.request

    from tests.support import copy_project

    project = copy_project(tmp_path / "project")
    post = project / "content/posts/2026-10-19-open-data-duisburg-daten-von-2014.md"
    path = "/2026/open-data-in-duisburg-drei-datensaetze-zur-wirtschaft-einer-von-2014/"
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    log = open(tmp_path / "serve.log", "w+", encoding="utf-8")  # noqa: SIM115 - closed below
    serve = subprocess.Popen([sys.executable, "-m", "wachhund.commands.serve", "--port", str(port)],
                             cwd=project, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:  # the first build, then the server
            try:
                served = urllib.request.urlopen(base + path, timeout=5).read()
                break
            except OSError:
                assert time.monotonic() < deadline and serve.poll() is None, log.read()
                time.sleep(0.2)
        assert b'src="/__wachhund/live.js"' in served
        assert b"__wachhund" not in (project / "output" / path.strip("/") / "index.html").read_bytes()
        terminal = tmp_path / "serve.log"
        while "Schnellvorschau bereit" not in terminal.read_text(encoding="utf-8"):
            assert time.monotonic() < deadline and serve.poll() is None, terminal.read_text(encoding="utf-8")
            time.sleep(0.1)
        watched = Watched(browser, 1280)
        page = watched.page
        page.goto(base + path, wait_until="networkidle")
        other = Watched(browser, 1280)  # another post, which the save does not change
        other.page.goto(base + "/2026/wie-wir-pruefen-reifegrade-quellen-und-keine-angabe/", wait_until="networkidle")
        other.page.evaluate("window.stillOpen = true")
        text = post.read_text(encoding="utf-8")
        before = terminal.read_text(encoding="utf-8")
        post.write_text(text + "\nEin frisch gespeicherter Satz.\n", encoding="utf-8")
        page.wait_for_function("document.body.innerText.includes('Ein frisch gespeicherter Satz.')", timeout=60000)
        # The preview's message, then the full build's: the other page checks both and stays as it is.
        checked = "document.documentElement.dataset.wachhundBuild"
        other.page.wait_for_function(checked, timeout=60000)
        first = other.page.evaluate(checked)
        while "neu gebaut" not in terminal.read_text(encoding="utf-8")[len(before):]:
            assert time.monotonic() < deadline + 60 and serve.poll() is None
            time.sleep(0.1)
        other.page.wait_for_function(f"{checked} && {checked} !== '{first}'", timeout=60000)
        assert other.page.evaluate("window.stillOpen") is True
        other.close()
        post.write_text(text.replace("Date: 2026-10-19", "Date: irgendwann", 1), encoding="utf-8")
        error = page.locator("#wachhund-build-error")
        error.wait_for(timeout=60000)
        shown = error.inner_text()
        assert "Build fehlgeschlagen" in shown
        assert "content/posts/2026-10-19-open-data-duisburg-daten-von-2014.md:2: date 'irgendwann" in shown
        second = Watched(browser, 375)  # a page opened while the build is broken says so at once
        second.page.goto(base + path, wait_until="networkidle")
        second.page.locator("#wachhund-build-error").wait_for(timeout=10000)
        second.close()
        post.write_text(text + "\nWieder in Ordnung.\n", encoding="utf-8")
        page.wait_for_function("document.body.innerText.includes('Wieder in Ordnung.')", timeout=60000)
        assert page.locator("#wachhund-build-error").count() == 0
        assert watched.errors == [] and watched.outside == []
        watched.close()
    finally:
        serve.terminate()
        serve.wait(timeout=30)
        log.seek(0)
        terminal = log.read()
        log.close()
    assert "content/posts/2026-10-19-open-data-duisburg-daten-von-2014.md:2: date 'irgendwann" in terminal


@pytest.fixture(scope="module")
def imported_site(tmp_path_factory):
    """A copy of the site after two dashboard imports from a local server (the real
    site has none yet), served with the production headers."""
    from tests.support import build_site, copy_project
    from tests.dashboardserver import ExportServer, fixture_records

    project = copy_project(tmp_path_factory.mktemp("imported") / "project")
    export = ExportServer()

    def update(date):  # in its own process: Playwright's event loop runs in this one
        subprocess.run([sys.executable, "-m", "wachhund.commands.importers.dashboard", "--ars", "050000000000",
                        "--url", export.url("csv"), "--data-dir", str(project / "data/ozg"), "--date", date,
                        "--allow-private"], check=True, capture_output=True)

    try:
        update("2026-11-20")
        export.records = fixture_records(flip=True)
        update("2026-11-21")
    finally:
        export.http.shutdown()
    out = project.parent / "output"
    result = build_site(project, out)
    assert result.returncode == 0, result.stderr
    server, origin = serve(out)
    yield out, origin
    server.shutdown()


IMPORTED_PAGES = {"rangliste": "/ozg/rangliste/", "gemeinde": "/ozg/gemeinde/051580032032/",
                  "ozg-duisburg-importiert": "/ozg/duisburg/"}


@pytest.mark.parametrize("name", list(IMPORTED_PAGES))
def test_ranking_pages_render_fit_a_phone_and_pass_axe(browser, imported_site, name):
    _out, base = imported_site
    for width in (320, 1280):
        watched = Watched(browser, width)
        assert watched.page.goto(base + IMPORTED_PAGES[name], wait_until="networkidle").status == 200
        watched.page.screenshot(path=str(ARTIFACTS / f"{name}-{width}.png"), full_page=True)
        assert watched.errors == [] and watched.outside == []
        overflow = watched.page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 1, f"{name} at {width}px is {overflow}px too wide"
        if width == 1280 and AXE.exists():
            watched.page.evaluate(AXE.read_text(encoding="utf-8"))
            result = watched.page.evaluate(
                "axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})")
            bad = [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in result["violations"]
                   if v["impact"] in ("serious", "critical")]
            assert bad == []
        watched.close()


@pytest.mark.skipif(not VNU.exists() or not shutil.which("java"), reason="vnu.jar or java missing")
def test_ranking_pages_are_valid_html(imported_site):
    out, _base = imported_site
    pages = [str(out / "ozg/rangliste/index.html"), str(out / "ozg/gemeinde/051580032032/index.html")]
    result = subprocess.run(["java", "-jar", str(VNU), "--errors-only", "--format", "json", *pages],
                            capture_output=True, text=True, timeout=300)
    report = json.loads(result.stderr)
    assert "version" in report and [m for m in report.get("messages", []) if m.get("type") == "error"] == []


@pytest.fixture(scope="module")
def anfragen_site(tmp_path_factory):
    """A copy of the site with the fixture questions (the real data/anfragen/ has none yet)
    and a post with the `{% anfrage %}` box, served with the production headers."""
    from tests.support import build_site, copy_project

    project = copy_project(tmp_path_factory.mktemp("anfragen") / "project")
    for fixture in (ROOT / "tests/fixtures/anfragen").iterdir():
        shutil.copy(fixture, project / "data/anfragen" / fixture.name)
    post = project / "content/posts/2026-10-12-duisburg-viel-ankuendigung-wenig-antrag.md"
    post.write_text(post.read_text(encoding="utf-8") + '\n{% anfrage id="digitalteam-online-dienste" %}\n',
                    encoding="utf-8")
    out = project.parent / "output"
    result = build_site(project, out)
    assert result.returncode == 0, result.stderr
    server, origin = serve(out)
    yield out, origin
    server.shutdown()


ANFRAGEN_PAGES = {"anfragen-liste": "/anfragen/", "anfrage": "/anfragen/digitalteam-online-dienste/",
                  "beitrag-mit-anfrage": ARTICLE}


@pytest.mark.parametrize("name", list(ANFRAGEN_PAGES))
def test_anfragen_pages_render_fit_a_phone_and_pass_axe(browser, anfragen_site, name):
    _out, base = anfragen_site
    for width in (320, 1280):
        watched = Watched(browser, width)
        assert watched.page.goto(base + ANFRAGEN_PAGES[name], wait_until="networkidle").status == 200
        assert watched.page.locator(".anfrage-box, .anfragen-liste, .anfrage-verlauf").count() >= 1
        watched.page.screenshot(path=str(ARTIFACTS / f"{name}-{width}.png"), full_page=True)
        assert watched.errors == [] and watched.outside == [] and watched.violations == []
        overflow = watched.page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 1, f"{name} at {width}px is {overflow}px too wide"
        if width == 1280 and AXE.exists():
            watched.page.evaluate(AXE.read_text(encoding="utf-8"))
            result = watched.page.evaluate(
                "axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})")
            bad = [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in result["violations"]
                   if v["impact"] in ("serious", "critical")]
            assert bad == []
        watched.close()


@pytest.mark.skipif(not VNU.exists() or not shutil.which("java"), reason="vnu.jar or java missing")
def test_anfragen_pages_are_valid_html(anfragen_site):
    out, _base = anfragen_site
    pages = [str(out / url.strip("/") / "index.html") for url in ANFRAGEN_PAGES.values()]
    result = subprocess.run(["java", "-jar", str(VNU), "--errors-only", "--format", "json", *pages],
                            capture_output=True, text=True, timeout=300)
    report = json.loads(result.stderr)
    assert "version" in report and [m for m in report.get("messages", []) if m.get("type") == "error"] == []


def test_anfragen_script_adds_today_beside_the_printed_figure(browser, anfragen_site):
    import datetime as dt

    _out, base = anfragen_site
    watched = Watched(browser, 375)
    watched.page.goto(base + "/anfragen/digitalteam-online-dienste/", wait_until="networkidle")
    today = (dt.date.today() - dt.date(2026, 9, 1)).days
    heute = watched.page.locator(".anfrage-heute")
    assert heute.is_visible() and heute.inner_text() == f"Heute: {today} Tage seit der Anfrage."
    # the printed figure (counted to the Stand) stays as built
    assert "unbeantwortet seit 91 Tagen" in watched.page.locator(".anfrage-stand-satz").inner_text()
    assert watched.errors == [] and watched.violations == []
    watched.close()


@pytest.fixture(scope="module")
def opendata_site(tmp_path_factory):
    """A copy of the site after two imports of the fixture catalogue (tests/fixtures/opendata/)
    from a local portal, with a post using the directive; the real site has no import yet."""
    from tests.support import build_site, copy_project
    from tests.opendata_server import PortalServer, fixture

    project = copy_project(tmp_path_factory.mktemp("opendata") / "project")
    portal = PortalServer()
    try:
        for day, name in (("2026-11-20", "duisburg-1.json"), ("2026-12-05", "duisburg-2.json")):
            portal.datasets = fixture(name)
            subprocess.run([sys.executable, "-m", "wachhund.commands.opendata", "--portal", "duisburg",
                            "--url", portal.dcat_url, "--date", day, "--allow-private"],
                           cwd=project, check=True, capture_output=True)
    finally:
        portal.close()
    (project / "content/posts/2026-12-06-offene-daten.md").write_text(
        'Title: Offene Daten im Browser\nDate: 2026-12-06 10:00\nCategory: Open Data\n\n'
        '{% opendaten portal="duisburg" thema="Wirtschaft" %}\n', encoding="utf-8")
    out = project.parent / "output"
    result = build_site(project, out)
    assert result.returncode == 0, result.stderr
    server, origin = serve(out)
    yield out, origin
    server.shutdown()


OPENDATA_PAGES = {"offene-daten-importiert": "/offene-daten/", "offene-daten-portal": "/offene-daten/duisburg/",
                  "offene-daten-beitrag": "/2026/offene-daten-im-browser/"}


@pytest.mark.parametrize("name", list(OPENDATA_PAGES))
def test_opendata_pages_render_fit_a_phone_and_pass_axe(browser, opendata_site, name):
    _out, base = opendata_site
    for width in (320, 1280):
        watched = Watched(browser, width)
        assert watched.page.goto(base + OPENDATA_PAGES[name], wait_until="networkidle").status == 200
        watched.page.screenshot(path=str(ARTIFACTS / f"{name}-{width}.png"), full_page=True)
        assert watched.errors == [] and watched.outside == [] and watched.violations == []
        overflow = watched.page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 1, f"{name} at {width}px is {overflow}px too wide"
        if width == 1280 and AXE.exists():
            watched.page.evaluate(AXE.read_text(encoding="utf-8"))
            result = watched.page.evaluate(
                "axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})")
            bad = [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in result["violations"]
                   if v["impact"] in ("serious", "critical")]
            assert bad == []
        if name == "offene-daten-portal":  # the title with HTML is text in the browser, too
            link = watched.page.locator("a[href='https://portal.example/dataset/beispiel-003']")
            assert link.inner_text() == "Wochenmärkte <b>Beispiel</b> & <script>alert(1)</script>"
            assert watched.page.locator("svg.opendaten-chart circle").count() == 2
        watched.close()


@pytest.mark.skipif(not VNU.exists() or not shutil.which("java"), reason="vnu.jar or java missing")
def test_opendata_pages_are_valid_html(opendata_site):
    out, _base = opendata_site
    pages = [str(out / "offene-daten/index.html"), str(out / "offene-daten/duisburg/index.html"),
             str(out / "2026/offene-daten-im-browser/index.html")]
    result = subprocess.run(["java", "-jar", str(VNU), "--errors-only", "--format", "json", *pages],
                            capture_output=True, text=True, timeout=300)
    report = json.loads(result.stderr)
    assert "version" in report and [m for m in report.get("messages", []) if m.get("type") == "error"] == []


# Tables at a phone's and a desktop's width (issue 28): on a desktop every table fits its
# column (no hidden scroll); on a phone a wider table scrolls inside its box with a shadow at
# the edge as cue, never the page; a status table folded into grid rows keeps its roles.
TABLES = """() => ({
  page: document.documentElement.scrollWidth - window.innerWidth,
  tables: [...document.querySelectorAll('.table-scroll')].map(box => {
    const style = getComputedStyle(box), table = box.querySelector('table');
    const caption = table.caption ? table.caption.getBoundingClientRect().right - box.getBoundingClientRect().right : 0;
    return {table: table.id || table.className, over: box.scrollWidth - box.clientWidth, caption,
            scrolls: style.overflowX === 'auto', cue: style.backgroundImage.includes('radial-gradient')
              && style.backgroundAttachment.includes('local')};
  })})"""


def assert_tables_read_well(page, width, where):
    seen = page.evaluate(TABLES)
    assert seen["page"] <= 1, f"{where} at {width}px: the page is {seen['page']}px too wide"
    assert seen["tables"], where
    for table in seen["tables"]:
        assert table["caption"] <= 1, f"{where} at {width}px: the caption of {table['table']} runs out of view"
        if width >= 1280:
            assert table["over"] <= 1, f"{where} at {width}px: {table['table']} hides {table['over']}px"
        elif table["over"] > 1:
            assert table["scrolls"] and table["cue"], f"{where} at {width}px: {table['table']} scrolls without a cue"
    return seen


def roles_in(watched, selector):
    """The roles Chromium's accessibility tree has inside the first element `selector` finds."""
    cdp = watched.context.new_cdp_session(watched.page)
    table = cdp.send("Runtime.evaluate", {"expression": f"document.querySelector({json.dumps(selector)})"})
    object_id = table["result"]["objectId"]
    return {role for role in ("table", "row", "columnheader", "rowheader", "cell")
            if cdp.send("Accessibility.queryAXTree", {"objectId": object_id, "role": role})["nodes"]}


@pytest.mark.parametrize("path", [ARTICLE, "/ozg/duisburg/"])
def test_tables_fit_a_desktop_and_scroll_with_a_cue_on_a_phone(browser, base_url, path):
    for width in (375, 1280):
        watched = Watched(browser, width)
        watched.page.goto(base_url + path, wait_until="networkidle")
        seen = assert_tables_read_well(watched.page, width, path)
        if width == 375:
            assert any(t["over"] > 1 for t in seen["tables"])  # the cue is tested where it is needed
        roles = roles_in(watched, "table[data-kommune]")
        assert {"table", "row", "columnheader", "rowheader", "cell"} <= roles, (path, width, roles)
        assert watched.errors == []
        watched.close()


def test_the_folded_status_table_keeps_header_and_note_in_each_row(browser, base_url):
    watched = Watched(browser, 1280)
    page = watched.page
    page.goto(base_url + ARTICLE, wait_until="networkidle")
    table = page.locator("table[data-kommune]").first
    name = table.locator("tbody th[scope=row]").first.bounding_box()
    note = table.locator("tbody tr").first.locator("td").nth(6).bounding_box()  # the 8th cell: the note
    assert note["y"] >= name["y"] + name["height"] - 1  # folded under the row's first line
    assert note["width"] > 400  # across the row, not a narrow column
    page.get_by_label("Tabelle filtern").first.fill("Musik")
    assert table.locator("tbody tr:visible").count() == 1  # the filter still hides rows laid out as grids
    watched.close()


@pytest.mark.parametrize("name", ["rangliste", "ozg-duisburg-importiert"])
def test_ranking_and_status_tables_after_an_import_read_well(browser, imported_site, name):
    _out, base = imported_site
    for width in (375, 1280):
        watched = Watched(browser, width)
        assert watched.page.goto(base + IMPORTED_PAGES[name], wait_until="networkidle").status == 200
        assert_tables_read_well(watched.page, width, name)
        watched.close()


@pytest.fixture(scope="module")
def national_site(tmp_path_factory):
    """A copy of the site after an import of NRW and Germany's largest cities from the
    Open-PVOG stand-in: /ozg/rangliste/ with the national table."""
    from tests.commands.test_federal_api import OpenPvog, configure, national_exports
    from tests.support import build_site, copy_project

    class KeepRoot:  # configure() also points the in-process importer at the project; it runs in a child here
        def setattr(self, *args):
            pass

    project = copy_project(tmp_path_factory.mktemp("national") / "project")
    pvog = OpenPvog()
    try:
        configure(project, pvog, KeepRoot())
        pvog.by_ars = national_exports()
        subprocess.run([sys.executable, "-m", "wachhund.commands.importers.dashboard", "--date", "2026-11-20",
                        "--allow-private"], cwd=project, check=True, capture_output=True)
    finally:
        pvog.http.shutdown()
    out = project.parent / "output"
    result = build_site(project, out)
    assert result.returncode == 0, result.stderr
    server, origin = serve(out)
    yield out, origin
    server.shutdown()


def test_the_national_table_reads_well_at_both_widths(browser, national_site):
    _out, base = national_site
    for width in (375, 1280):
        watched = Watched(browser, width)
        assert watched.page.goto(base + "/ozg/rangliste/", wait_until="networkidle").status == 200
        assert watched.page.locator("table.ozg-rangliste-bund tbody tr[data-ars]").count() >= 2
        seen = assert_tables_read_well(watched.page, width, "/ozg/rangliste/ (national)")
        assert len(seen["tables"]) >= 3  # the NRW ranking, the peer group and the national table
        assert watched.errors == []
        watched.close()


def test_share_links_load_nothing_and_mastodon_asks_for_the_instance(browser, base_url):
    watched = Watched(browser, 375)
    page = watched.page
    page.goto(base_url + ARTICLE, wait_until="networkidle")
    assert watched.outside == []  # the share links load nothing until clicked
    page.get_by_role("button", name="Mastodon").click()
    field = page.get_by_label("Ihre Mastodon-Instanz")
    field.fill("keine Instanz")
    page.get_by_role("button", name="Bei Mastodon teilen").click()
    assert "Namen Ihrer Instanz" in page.get_by_role("alert").inner_text()
    assert watched.outside == []
    field.fill("@leserin@social.example")
    with page.expect_request("https://social.example/**") as opened:
        page.get_by_role("button", name="Bei Mastodon teilen").click()
    assert opened.value.url.startswith("https://social.example/share?text=")
    assert ARTICLE.replace("/", "%2F") in opened.value.url
    assert watched.errors == [] and watched.violations == []
    watched.close()


def test_a_printed_post_shows_its_sources_and_no_navigation(browser, base_url):
    watched = Watched(browser, 1280)
    page = watched.page
    page.goto(base_url + ARTICLE, wait_until="networkidle")
    page.emulate_media(media="print")
    shown = page.evaluate("""() => ['.site-header nav', '.search-form', '.teilen', '.sidebar', '.ozg-filter',
        '.prev-next'].map(s => [s, document.querySelector(s) && getComputedStyle(document.querySelector(s)).display])""")
    assert [s for s, display in shown if display not in (None, "none")] == []
    sources = page.evaluate("""() => [...document.querySelectorAll('.belege a')].map(a =>
        [a.href, getComputedStyle(a, '::after').content])""")
    assert sources
    for href, after in sources:
        assert href in after, (href, after)
    watched.close()
