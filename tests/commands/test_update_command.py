"""`make update`: every online update in turn, one failing not stopping the others, one summary (issue 25).

The parts run as real child processes against local servers on 127.0.0.1: the
Open-PVOG stand-in of tests/commands/test_federal_api.py and the link server of tests/linkserver.py.
"""

import shutil
import subprocess

import pytest

from wachhund.commands import update
from wachhund.commands.update import Options, Part
from tests.linkserver import LinkServer
from tests.support import ROOT, replace, tree_digest
from tests.dashboardserver import NRW, fixture_records
from tests.commands.test_federal_api import OpenPvog, pvog_records

LINKCHECK_FAST = ["--timeout", "1.5", "--retries", "0", "--host-interval", "0"]


@pytest.fixture
def pvog():
    server = OpenPvog()
    yield server
    server.http.shutdown()


@pytest.fixture
def links():
    server = LinkServer().start()
    yield server
    server.close()


@pytest.fixture
def configured(project, pvog, monkeypatch):
    """The project, importing NRW from the stand-in; the parts run in it as `make` would."""
    replace(project, "pelicanconf.py", '"SIDEBAR_KOMMUNE": "duisburg",', f'''"SIDEBAR_KOMMUNE": "duisburg",
    "DASHBOARD_URL": "{pvog.url}",
    "IMPORT": [{{"ars": "{NRW}", "umfang": "darunter"}}],''')
    monkeypatch.chdir(project)
    return project


def link_project(tmp_path, url):
    """A second folder for the link parts: one post citing `url` (the real content cites real hosts)."""
    root = tmp_path / "links"
    (root / "content/posts").mkdir(parents=True)
    shutil.copy2(ROOT / "pelicanconf.py", root / "pelicanconf.py")
    (root / "content/posts/a.md").write_text(f"Title: A\nDate: 2026-11-01\n\n[Quelle]({url})\n", encoding="utf-8")
    return root


def link_parts(root, archive_url):
    extra = ["--root", str(root), "--archive-url", archive_url, *LINKCHECK_FAST]
    return [Part("Linkprüfung", lambda o: [*update.linkcheck_argv(False)(o), *extra], update.linkcheck_summary),
            Part("Archivierung", lambda o: [*update.linkcheck_argv(True)(o), *extra], update.archive_summary)]


def test_a_failing_part_does_not_stop_the_others(configured, capsys):
    broken = Part("Kaputter Teil", lambda o: ["wachhund.commands.keine_solche_aktualisierung"], update.linkcheck_summary)
    code = update.main(["--allow-private", "--date", "2026-11-20"], parts=[broken, update.PARTS[0]])
    out = capsys.readouterr().out
    assert code == 1
    summary = out.split("Zusammenfassung", 1)[1]
    assert "Kaputter Teil: FEHLGESCHLAGEN" in summary and "keine_solche_aktualisierung" in summary
    assert "Dashboard Digitale Verwaltung (OZG-Status): ok" in summary
    assert "geändert: 16 geänderte Dienste in 1 Import(en)" in summary
    assert "1 von 2 Teilen konnten ihre Arbeit nicht tun: Kaputter Teil" in summary
    # --date reached the dashboard part: it is the import's date
    log = (configured / "data/ozg/dashboard/importe.csv").read_text(encoding="utf-8").splitlines()
    assert log[1].startswith(f"2026-11-20,{NRW},")


def test_an_unknown_answer_is_a_failure_with_what_to_do(configured, pvog, capsys):
    pvog.export_body = (b"<html><body>Wartung</body></html>", "text/html")
    assert update.main(["--allow-private"], parts=[update.PARTS[0]]) == 1
    summary = capsys.readouterr().out.split("Zusammenfassung", 1)[1]
    assert "FEHLGESCHLAGEN" in summary and 'OZG["DASHBOARD_URL"]' in summary


def test_pruefen_writes_nothing_sends_nothing_and_reports_what_would_change(configured, pvog, links, tmp_path, capsys):
    assert update.main(["--allow-private", "--date", "2026-11-20"], parts=[update.PARTS[0]]) == 0
    root = link_project(tmp_path, f"{links.base}/ok")
    digest, link_digest = tree_digest(configured / "data"), tree_digest(root)
    pvog.records = pvog_records(fixture_records(flip=True))
    pvog.requests.clear()
    capsys.readouterr()
    code = update.main(["--pruefen", "--allow-private", "--date", "2026-11-21"],
                       parts=[update.PARTS[0], *link_parts(root, links.base)])
    out = capsys.readouterr().out
    assert code == 0, out
    assert tree_digest(configured / "data") == digest and tree_digest(root) == link_digest
    assert [p for p, _a, _t in pvog.requests if "/export" in p]  # fetched and checked
    summary = out.split("Zusammenfassung", 1)[1]
    assert "Probelauf" in summary and "würde ändern: 1 geänderte Dienste in 1 Import(en)" in summary
    assert "würde ändern: 1 Links geprüft" in summary
    assert "würde ändern: 0 neue Archivkopie(n)" in summary
    assert not [path for _method, path in links.seen if "save" in path]  # no snapshot was asked for


def test_without_pruefen_the_link_parts_save_and_archive(configured, links, tmp_path, capsys):
    root = link_project(tmp_path, f"{links.base}/ok")
    code = update.main(["--allow-private", "--date", "2026-11-21"], parts=link_parts(root, links.base))
    out = capsys.readouterr().out
    assert code == 0, out
    assert (root / "data/link-health.jsonl").exists()
    assert [path for _method, path in links.seen if "save" in path]  # the archive part asked for a snapshot


def test_the_summaries_tell_findings_from_failures():
    dead = update.linkcheck_summary(1, "3 Links geprüft.\nNEU TOT: https://x.example/a  (posts/a.md)\n")
    assert dead.failure == "" and dead.findings == ["Link neu tot: https://x.example/a  (posts/a.md)"]
    broken = update.linkcheck_summary(2, "data/link-health.jsonl:3: not JSON\n")
    assert broken.failure == "data/link-health.jsonl:3: not JSON"
    held = update.dashboard_summary(3, f"OZG-Import {NRW} (darunter): zurückgehalten – 12 Zeilen statt 17\n")
    assert "zurückgehalten" in held.failure and "--annehmen" in held.todo and "12 Zeilen statt 17" in held.findings[0]
    names = update.dashboard_summary(0, "OZG-Import 1 (darueber): 5 Zeilen, 2 Änderung(en), 1 Datei(en) geändert\n"
                                        "OZG-Name: 091620000000: … nennt „Nürnberg“\n")
    assert names.failure == "" and names.changed == ["2 geänderte Dienste in 1 Import(en)"]
    assert names.findings == ["091620000000: … nennt „Nürnberg“"]


def test_options_reach_every_part():
    options = Options(pruefen=True, annehmen=True, allow_private=True, date=__import__("datetime").date(2026, 11, 21))
    dashboard, check, archive, anfragen, opendata = (part.argv(options) for part in update.PARTS)
    assert {"--pruefen", "--annehmen", "--allow-private"} <= set(dashboard) and "2026-11-21" in dashboard
    assert {"--pruefen", "--allow-private"} <= set(anfragen) and "2026-11-21" in anfragen
    assert {"--pruefen", "--annehmen", "--allow-private"} <= set(opendata) and "2026-11-21" in opendata
    for argv in (check, archive):
        assert {"--pruefen", "--allow-private"} <= set(argv) and "2026-11-21T00:00:00" in argv
    assert "--archive" in archive and "--archive" not in check


def test_make_help_and_make_update_pass_args():
    result = subprocess.run(["make", "-s", "-C", str(ROOT), "help"], capture_output=True, text=True, timeout=60)
    assert "make update " in result.stdout and "--pruefen" in result.stdout and "--annehmen" in result.stdout
    dry = subprocess.run(["make", "-n", "-C", str(ROOT), "update", "ARGS=--pruefen --date 2026-11-21"],
                         capture_output=True, text=True, timeout=60)
    assert "-m wachhund.commands.update --pruefen --date 2026-11-21" in dry.stdout
    ozg = subprocess.run(["make", "-n", "-C", str(ROOT), "update-ozg"], capture_output=True, text=True, timeout=60)
    assert "-m wachhund.commands.importers.dashboard" in ozg.stdout and "--ars" not in ozg.stdout


def test_the_instruments_are_parts_and_a_dry_run_of_them_writes_nothing(project, monkeypatch, capsys):
    """Questions (FragDenStaat) and open-data portals are parts of `make update`: fetched and
    checked with --pruefen, written without it."""
    from tests.froideserver import FroideServer, froide_request
    from tests.opendata_server import PortalServer, dcat_dataset

    froide, portal = FroideServer(), PortalServer([dcat_dataset(n) for n in range(1, 4)])
    froide.requests["stand"] = froide_request(4711, "stand")
    try:
        replace(project, "pelicanconf.py", '"url": "https://opendata-duisburg.de/data.json",', f'"url": "{portal.dcat_url}",')
        (project / "pelicanconf.py").write_text((project / "pelicanconf.py").read_text(encoding="utf-8")
                                                + f'\nANFRAGEN = {{"FRAGDENSTAAT_URL": "{froide.base}"}}\n', encoding="utf-8")
        (project / "data/anfragen/stand.yaml").write_text(
            "titel: Stand\nan: Stadt\ngestellt: 2026-09-01\nkanal: FragDenStaat\nfrage: Wie ist der Stand?\n"
            f"fragdenstaat: {froide.base}/a/4711\n", encoding="utf-8")
        monkeypatch.chdir(project)
        instruments = [part for part in update.PARTS if part.name.startswith(("Anfragen", "Offene Daten"))]
        assert len(instruments) == 2
        digest = tree_digest(project / "data")
        assert update.main(["--pruefen", "--allow-private", "--date", "2026-11-20"], parts=instruments) == 0
        summary = capsys.readouterr().out.split("Zusammenfassung", 1)[1]
        assert tree_digest(project / "data") == digest
        assert froide.paths and portal.requests  # both were asked
        assert "würde ändern: 1 von 1 FragDenStaat-Anfragen geändert" in summary
        assert "würde ändern: duisburg: 3 Datensätze, 3 neu, 0 aktualisiert, 0 entfernt" in summary
        assert update.main(["--allow-private", "--date", "2026-11-20"], parts=instruments) == 0
        assert (project / "data/anfragen/fragdenstaat.jsonl").exists()
        assert (project / "data/offene-daten/duisburg.jsonl").exists()
    finally:
        froide.http.shutdown()
        portal.http.shutdown()


def test_one_cause_of_many_failures_is_said_once():
    """The first run without network: every import and every city name fails for one reason. The
    summary says the reason once and names the keys, instead of one long line per key."""
    cause = "kam nach 2 Versuch(en) nicht an: Cannot connect to host api.example:443 [Name or service not known]"
    output = "".join(
        f"OZG-Import {ars} ({umfang}): fehlgeschlagen – Export (https://api.example/{ars}/export?x=1) {cause}\n"
        for ars, umfang in ((NRW, "darunter"), ("110000000000", "darueber"), ("020000000000", "darueber"))
    ) + "".join(f"OZG-Name: {ars} ({name}): kein Name im Export; Schlüsselliste nicht lesbar: {cause}\n"
                for ars, name in (("110000000000", "Berlin"), ("020000000000", "Hamburg")))
    output += "OZG-Import 091620000000 (darueber): fehlgeschlagen – Export (https://api.example/0916/export) HTTP 500\n"
    result = update.dashboard_summary(1, output)
    assert result.failure == (
        f"fehlgeschlagen – Export {cause} – bei 3 Schlüsseln: {NRW} (darunter), 110000000000 (darueber), "
        "020000000000 (darueber); 091620000000 (darueber): fehlgeschlagen – Export (https://api.example/0916/export) HTTP 500")
    assert result.findings == [f"kein Name im Export; Schlüsselliste nicht lesbar: {cause} – bei 2 Schlüsseln: "
                               "110000000000 (Berlin), 020000000000 (Hamburg)"]


def test_a_portal_that_cannot_be_reached_is_named_with_its_cause():
    output = ("update-opendata failed for duisburg (https://opendata.example/data.json):\n"
              "Cannot connect to host opendata.example:443 [Name or service not known]\nNothing was written.\n")
    result = update.opendata_summary(1, output)
    assert result.failure == ("Portal duisburg (https://opendata.example/data.json): "
                              "Cannot connect to host opendata.example:443 [Name or service not known]")


def test_a_dry_run_with_a_failure_does_not_claim_to_have_saved_anything():
    results = [(update.PARTS[0], update.Result(failure="kaputt")), (update.PARTS[1], update.Result())]
    assert "Ein Probelauf speichert nichts." in update.summary_text(results, Options(pruefen=True))
    assert "ist gespeichert und wird veröffentlicht" in update.summary_text(results, Options())


def test_a_second_make_update_while_one_runs_does_nothing_and_says_why(configured, pvog, capsys):
    """Two runs at once (a timer and a hand) would each write the link state and the stores over
    the other's changes: a second one finds the project's data/ held and stops before any part.
    A dry run holds nothing and runs."""
    import os

    fcntl = pytest.importorskip("fcntl")  # no flock on Windows: nothing is held there
    before = tree_digest(configured / "data")
    held = os.open(configured / "data", os.O_RDONLY)  # what a running `make update` holds
    try:
        fcntl.flock(held, fcntl.LOCK_EX | fcntl.LOCK_NB)
        assert update.main(["--allow-private", "--date", "2026-11-20"], parts=[update.PARTS[0]]) == 1
        assert "läuft make update schon?" in capsys.readouterr().err
        assert not pvog.requests and tree_digest(configured / "data") == before
        assert update.main(["--pruefen", "--allow-private", "--date", "2026-11-20"], parts=[update.PARTS[0]]) == 0
        assert pvog.requests and tree_digest(configured / "data") == before
    finally:
        os.close(held)
