"""Helpers for tests that build whole sites (the strongest test a site has)."""

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def copy_project(target: Path, copy_plugins: bool = False) -> Path:
    """Copy what a build reads; plugins are shared read-only via a symlink unless
    a test edits them."""
    target.mkdir(parents=True)
    names = ("content", "data", "theme") + (("plugins",) if copy_plugins else ())
    for name in names:
        shutil.copytree(ROOT / name, target / name, ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("pelicanconf.py", "publishconf.py"):
        shutil.copy2(ROOT / name, target / name)
    if not copy_plugins:
        (target / "plugins").symlink_to(ROOT / "plugins")
    return target


def replace(project: Path, relative: str, old: str, new: str) -> None:
    """Edit a source file the way an author does: one occurrence, which must be there."""
    path = project / relative
    text = path.read_text(encoding="utf-8")
    assert old in text, (relative, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def append(project: Path, relative: str, text: str) -> None:
    path = project / relative
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def write_link_state(project: Path, records: dict) -> Path:
    """data/link-health.jsonl as `make linkcheck` writes it: {url: record}."""
    from wachhund.links.state import save_state

    path = project / "data" / "link-health.jsonl"
    save_state(path, records)
    return path


def build_site(project: Path, out: Path, settings="pelicanconf.py", extra=(), env=None):
    cmd = [sys.executable, "-m", "wachhund.commands.build", "-s", str(project / settings), "-o", str(out), *extra]
    environment = {**os.environ, "SOURCE_DATE_EPOCH": "1790000000", **(env or {})}
    return subprocess.run(cmd, cwd=project, capture_output=True, text=True, env=environment, timeout=300)


def add_old_posts(project):
    """Two posts in 2024 and two in 2025, so the search index has year sections."""
    for year in (2024, 2025):
        for number in (1, 2):
            (project / f"content/posts/{year}-0{number}-archiv.md").write_text(
                f"Title: Archivbeitrag {year} Nummer {number}\nDate: {year}-0{number}-10 09:00\n"
                f"Category: Hintergrund\nTags: Archiv\nSummary: Ein älterer Beitrag.\n\n"
                f"Der Suchbegriff Rückblick{year}x{number} steht nur hier.\n",
                encoding="utf-8",
            )


def tree_digest(folder: Path) -> dict:
    """{relative path: sha256} of every file under `folder`."""
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def html_files(folder: Path):
    return sorted(folder.rglob("*.html"))


CHROMIUM = Path("/usr/bin/chromium")  # Debian's; .ci/run installs it
# Without the background-networking flags Chromium keeps dialling Google's hosts, which this
# closed network refuses; the sandbox needs privileges a CI container does not grant.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-quic"]


def launch_chromium(playwright):
    """Debian's chromium, headless, the same way in every browser test."""
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
