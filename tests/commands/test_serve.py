"""`make serve` (issue 16, item 2): the saved page at once, and after any sequence
of edits the served site is what a cold build makes.

The preview (wachhund/commands/preview.py) renders one page from a context kept in the
dev server's process; here it is run in this process on a copy of the real
site and each page it writes is compared byte for byte with the same page of
a cold build of the edited sources. Then the real dev server is run through a
sequence of edits of every kind and its output/ is compared with a cold build.
"""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.support import append, build_site, copy_project, tree_digest
from tests.support import replace as edit


from wachhund.commands.preview import NotPreviewable, WarmSite

POST = "content/posts/2026-10-19-open-data-duisburg-daten-von-2014.md"
OTHER = "content/posts/2026-11-16-wie-wir-pruefen.md"
PAGE = "content/pages/ueber-dieses-blog.md"
DRAFT = "content/posts/2026-11-20-entwurf.md"


@pytest.fixture
def warm(tmp_path, monkeypatch):
    project = copy_project(tmp_path / "project")
    (project / DRAFT).write_text("Title: Ein Entwurf\nDate: 2026-11-20 09:00\nCategory: Duisburg\nStatus: draft\n\n"
                                 "Noch nicht fertig.\n", encoding="utf-8")
    result = build_site(project, project / "output")
    assert result.returncode == 0, result.stderr
    monkeypatch.chdir(project)
    site = WarmSite.load(project / "pelicanconf.py", tmp_path / "scratch")
    return project, site


# Edits a preview shows: text, a new heading (table of contents), a link, the
# summary (the page's description), a draft, a page's title (the menu lists it).
PREVIEWED = [
    ("post text", lambda p: append(p, POST, "\nEin neuer Absatz am Ende.\n"), [POST]),
    ("heading and link", lambda p: append(p, POST, "\n## Neuer Abschnitt\n\nSiehe [Quelle](https://www.duisburg.de/).\n"),
     [POST]),
    ("post summary", lambda p: edit(p, OTHER, "Summary: Woher unsere Zahlen", "Summary: Woraus unsere Zahlen"), [OTHER]),
    ("draft text", lambda p: append(p, DRAFT, "\nEin Satz im Entwurf.\n"), [DRAFT]),
    ("page title in the menu", lambda p: edit(p, PAGE, "Title: Über dieses Blog", "Title: Über uns"), [PAGE]),
    ("two posts, one twice", lambda p: (append(p, POST, "\nErster.\n"), append(p, OTHER, "\nZweiter.\n"),
                                        append(p, POST, "\nDritter.\n")), [POST, OTHER]),
]


@pytest.mark.parametrize("name,change,edited", PREVIEWED, ids=[e[0] for e in PREVIEWED])
def test_the_preview_is_the_page_a_cold_build_makes(warm, tmp_path, name, change, edited):
    project, site = warm
    change(project)
    written = [site.render(site.refresh(project / relative), project / "output") for relative in edited]
    cold = build_site(project, tmp_path / "cold")
    assert cold.returncode == 0, cold.stderr
    for page in written:
        relative = page.relative_to(project / "output")
        assert page.read_bytes() == (tmp_path / "cold" / relative).read_bytes(), relative


@pytest.mark.parametrize("old,new,why", [
    ("Date: 2026-10-19", "Date: 2026-09-01", "date"),
    ("Tags: ", "Tags: Neu, ", "tags"),
    ("Category: ", "Status: draft\nCategory: ", "save_as|status"),  # drafts live under entwurf/
    ("Title: Open Data", "Title: Offene Daten", "save_as"),  # the slug follows the title
])
def test_an_edit_that_moves_a_post_waits_for_the_full_build(warm, old, new, why):
    project, site = warm
    edit(project, POST, old, new)
    with pytest.raises(NotPreviewable, match=why):
        site.refresh(project / POST)


def test_a_bad_post_is_reported_with_file_and_line_at_once(warm):
    project, site = warm
    edit(project, POST, "Date: 2026-10-19", "Date: irgendwann")
    with pytest.raises(Exception, match=rf"{POST}:2: date 'irgendwann"):
        site.refresh(project / POST)


def test_new_files_are_not_previewed(warm):
    project, site = warm
    (project / "content/posts/neu.md").write_text("Title: Neu\nDate: 2026-11-20\n\nText.\n", encoding="utf-8")
    with pytest.raises(NotPreviewable):
        site.refresh(project / "content/posts/neu.md")


class Serve:
    """wachhund/commands/serve.py on a copy of the site; its terminal output in a file."""

    def __init__(self, project: Path, log: Path):
        import socket

        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            self.port = sock.getsockname()[1]
        self.log_path = log
        self.log = open(log, "w", encoding="utf-8")  # noqa: SIM115 - closed in stop()
        env = {**os.environ, "SOURCE_DATE_EPOCH": "1790000000"}
        self.proc = subprocess.Popen([sys.executable, "-m", "wachhund.commands.serve", "--port", str(self.port)],
                                     cwd=project, stdout=self.log, stderr=subprocess.STDOUT, env=env)

    def text(self) -> str:
        return self.log_path.read_text(encoding="utf-8")

    def wait(self, condition, what: str, timeout: float = 120) -> None:
        deadline = time.monotonic() + timeout
        while not condition(self.text()):
            assert self.proc.poll() is None and time.monotonic() < deadline, f"{what}:\n{self.text()}"
            time.sleep(0.05)

    def settled(self, log: str) -> bool:
        """The full build that started after the last change has finished."""
        last = log.rfind("[serve] Änderung:")
        return "[serve] neu gebaut" in log[last:] or "Build fehlgeschlagen" in log[last:]

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=30)
        self.log.close()


def test_make_serve_after_a_sequence_of_edits_serves_a_cold_build(tmp_path):
    project = copy_project(tmp_path / "project", copy_plugins=True)
    serve = Serve(project, tmp_path / "serve.log")
    try:
        serve.wait(lambda log: "Strg+C" in log and "Schnellvorschau bereit" in log, "start-up")
        steps = [
            ("text", lambda: append(project, POST, "\nEin gespeicherter Satz.\n")),
            ("text", lambda: edit(project, PAGE, "Title: Über dieses Blog", "Title: Über uns")),
            ("date", lambda: edit(project, POST, "Date: 2026-10-19", "Date: 2026-09-01")),
            ("data", lambda: append(project, "data/ozg/kommunen/duisburg.yaml", "# ein Kommentar\n")),
            ("text", lambda: append(project, POST, "\nNach dem neuen Einlesen.\n")),
            ("broken", lambda: edit(project, OTHER, "Date: 2026-11-16", "Date: irgendwann")),
            ("fixed", lambda: edit(project, OTHER, "Date: irgendwann", "Date: 2026-11-16")),
            ("plugin", lambda: append(project, "plugins/drafts/__init__.py", "# geändert\n")),
            ("text", lambda: append(project, POST, "\nNach dem Neustart.\n")),
        ]
        for kind, step in steps:
            before = serve.text()
            step()
            if kind == "plugin":
                serve.wait(lambda log, n=len(before): "Plugin-Code geändert" in log[n:], "restart")
                serve.wait(lambda log, n=len(before): "Schnellvorschau bereit" in log[n:]
                           and "neu gebaut" in log[n:] and "Strg+C" in log[n:], "start-up after the restart")
                continue
            if kind in ("date", "data"):  # the preview's context is read again before the next edit
                serve.wait(lambda log, n=len(before): "Schnellvorschau bereit" in log[n:], "reading again")
            serve.wait(lambda log, n=len(before): "[serve] Änderung:" in log[n:] and serve.settled(log),
                       f"the build after the {kind} edit")
            said = serve.text()[len(before):]
            assert ("[serve] Schnellvorschau " in said.replace("Schnellvorschau bereit", "")) == (kind == "text"), said
            if kind == "broken":
                assert "Build fehlgeschlagen" in said and f"{OTHER}:2: date 'irgendwann" in said
        served = tree_digest(project / "output")
    finally:
        serve.stop()
    cold = build_site(project, tmp_path / "cold")
    assert cold.returncode == 0, cold.stderr
    assert served == tree_digest(tmp_path / "cold")
