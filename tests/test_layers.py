"""The layers of README "Layout": import-linter's contracts hold (pyproject.toml), and
the commands that never build a site run without loading Pelican or a plugin, and the domain
packages' tests run with Pelican absent from sys.modules."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

from tests.dashboardserver import NRW, ExportServer

from tests.support import ROOT

# Runs a command module as `python -m` does, then names every Pelican or plugin module it loaded.
LOADED = """import runpy, sys
module, sys.argv = sys.argv[1], sys.argv[1:]
try:
    runpy.run_module(module, run_name="__main__", alter_sys=True)
except SystemExit as stop:
    code = stop.code
print(sorted(m for m in sys.modules if m.split(".")[0] in ("pelican", "plugins")))
sys.exit(code)
"""


# The tests of the libraries and the Pelican-free domain packages (README "Tests").
DOMAIN_TESTS = ["tests/lib", "tests/ozg", "tests/links", "tests/anfragen", "tests/opendata", "tests/webmention"]


def run_counting(project: Path, module: str, *args):
    return subprocess.run([sys.executable, "-c", LOADED, module, *args], cwd=project, capture_output=True,
                          text=True, timeout=120)


def test_the_import_contracts_hold():
    lint = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run([str(lint), "--no-cache"], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "6 kept, 0 broken" in result.stdout


def test_make_linkcheck_runs_without_pelican(project):
    for cited in ("content/posts", "content/pages", "data/ozg"):  # no links: nothing leaves this machine
        shutil.rmtree(project / cited)
    result = run_counting(project, "wachhund.commands.linkcheck", "--root", str(project))
    assert result.returncode == 0, result.stderr
    assert "0 Links geprüft." in result.stdout
    assert result.stdout.splitlines()[-1] == "[]", result.stdout


def test_make_update_ozg_runs_without_pelican(project):
    server = ExportServer()
    try:
        result = run_counting(project, "wachhund.commands.importers.dashboard", "--ars", NRW,
                              "--url", server.url("csv"), "--date", "2026-11-20", "--allow-private")
    finally:
        server.http.shutdown()
    assert result.returncode == 0, result.stderr
    assert (project / "data/ozg/dashboard/status/05112.csv").exists()  # OZG['DATA_DIR'] of the project
    assert result.stdout.splitlines()[-1] == "[]", result.stdout


def test_make_update_anfragen_runs_without_pelican(project):
    from tests.froideserver import FroideServer, froide_request

    (project / "data/anfragen/frage.yaml").write_text(
        "titel: T\nan: Behörde\ngestellt: 2026-09-01\nkanal: E-Mail\nfrage: F?\n"
        "fragdenstaat: https://fragdenstaat.de/a/4711\n", encoding="utf-8")
    server = FroideServer()
    server.requests["s"] = froide_request(4711, "s")
    try:
        result = run_counting(project, "wachhund.commands.anfragen", "--url", server.base, "--allow-private",
                              "--date", "2026-12-07")
    finally:
        server.close()
    assert result.returncode == 0, result.stderr
    assert (project / "data/anfragen/fragdenstaat.jsonl").exists()  # ANFRAGEN['DATA_DIR'] of the project


def test_make_update_opendata_runs_without_pelican(project):
    from tests.opendata_server import PortalServer, dcat_dataset

    server = PortalServer([dcat_dataset(n) for n in range(1, 4)])
    try:
        result = run_counting(project, "wachhund.commands.opendata", "--portal", "duisburg", "--url", server.dcat_url,
                              "--date", "2026-11-20", "--allow-private")
    finally:
        server.close()
    assert result.returncode == 0, result.stderr
    assert (project / "data/offene-daten/duisburg.jsonl").exists()  # OPENDATA['DATA_DIR'] of the project
    assert result.stdout.splitlines()[-1] == "[]", result.stdout


def test_the_domain_tests_run_without_pelican():
    """The domain folders hold only tests that need neither Pelican nor a plugin: run alone, with
    tests/pelican_absent.py failing the session if either was imported."""
    result = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "tests.pelican_absent",
                             *DOMAIN_TESTS], cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    passed = re.search(r"(\d+) passed", result.stdout)
    assert passed and int(passed.group(1)) > 100, result.stdout[-3000:]
