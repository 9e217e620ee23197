"""make update-anfragen (issue 26): the FragDenStaat sync against a stand-in froide on 127.0.0.1."""

import datetime as dt
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.froideserver import FroideServer, froide_request
from tests.anfragen_data import BASE_YAML, FDS, FIXTURES, write
from tests.support import ROOT, tree_digest

from wachhund.anfragen import load_anfragen
from wachhund.commands import anfragen as command

D = dt.date.fromisoformat


def fixture_folder(tmp_path) -> Path:
    folder = tmp_path / "anfragen"
    shutil.copytree(FIXTURES, folder)
    return folder


@pytest.fixture
def froide():
    server = FroideServer()
    yield server
    server.close()


def linked(folder, slug, url, extra=""):
    return write(folder, slug, BASE_YAML + f"fragdenstaat: {url}\n" + extra)


def sync(folder, froide, date, allow_private=True):
    out, err = [], []
    code = command.run(folder, FDS, froide.base, D(date), allow_private, str, out.append, err.append)
    return code, "\n".join(out), "\n".join(err)


def history(folder):
    path = folder / "fragdenstaat.jsonl"
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()] if path.exists() else []


STATUSES = ["awaiting_user_confirmation", "publicbody_needed", "awaiting_publicbody_confirmation",
            "awaiting_response", "awaiting_classification", "asleep", "resolved"]


@pytest.mark.parametrize("status", STATUSES)
def test_each_status_is_looked_up_by_slug_and_recorded(tmp_path, froide, status):
    folder = tmp_path / "anfragen"
    linked(folder, "frage", "https://fragdenstaat.de/anfrage/stand-der-online-dienste/")
    froide.requests["stand-der-online-dienste"] = froide_request(4711, "stand-der-online-dienste", status=status)
    code, out, err = sync(folder, froide, "2026-12-01")
    assert (code, err) == (0, "")
    assert froide.paths == ["/api/v1/request/?slug=stand-der-online-dienste", "/api/v1/request/4711/"]
    change, check = history(folder)
    assert change == {"anfrage": "frage", "datum": "2026-12-01", "id": 4711, "status": status, "resolution": "",
                      "due_date": "2026-10-02", "resolved_on": None, "last_message": "2026-09-01",
                      "title": "Stand der Online-Dienste", "public_body": "Stadt Beispielstadt",
                      "url": "https://fragdenstaat.de/anfrage/stand-der-online-dienste/", "costs": 0.0}
    assert check == {"anfrage": "frage", "geprueft": "2026-12-01"}
    lage = load_anfragen(folder, FDS).lagen["frage"]
    assert lage.stand == D("2026-12-01") and lage.open == (status != "resolved")


def test_an_a_id_address_needs_no_lookup_and_changes_only_are_recorded(tmp_path, froide):
    folder = tmp_path / "anfragen"
    linked(folder, "frage", "https://fragdenstaat.de/a/4711")
    froide.requests["s"] = froide_request(4711, "s")
    assert sync(folder, froide, "2026-11-01")[0] == 0
    assert froide.paths == ["/api/v1/request/4711/"]
    first = (folder / "fragdenstaat.jsonl").read_text(encoding="utf-8")
    assert sync(folder, froide, "2026-11-15")[0] == 0  # nothing changed on froide
    lines = history(folder)
    assert [l.get("datum") or l["geprueft"] for l in lines] == ["2026-11-01", "2026-11-15"]
    assert (folder / "fragdenstaat.jsonl").read_text(encoding="utf-8").splitlines()[0] == first.splitlines()[0]
    # a resolution appears
    froide.requests["s"] = froide_request(4711, "s", status="resolved", resolution="refused",
                                          resolved_on="2026-11-20T09:00:00+01:00")
    code, out, _ = sync(folder, froide, "2026-11-21")
    assert code == 0 and "1 changed (frage)" in out
    assert [(l.get("datum"), l.get("status"), l.get("resolution")) for l in history(folder)] == [
        ("2026-11-01", "awaiting_response", ""), ("2026-11-21", "resolved", "refused"), (None, None, None)]
    lage = load_anfragen(folder, FDS).lagen["frage"]
    assert (lage.closed_on, lage.outcome, lage.froide_status) == (D("2026-11-20"), "abgelehnt", "abgeschlossen: abgelehnt")
    # a second run on the same day replaces that day's line
    froide.requests["s"] = froide_request(4711, "s", status="resolved", resolution="successful",
                                          resolved_on="2026-11-20T09:00:00+01:00")
    sync(folder, froide, "2026-11-21")
    assert [l.get("resolution") for l in history(folder)] == ["", "successful", None]


def test_an_unknown_status_is_kept_as_text_and_named_with_the_file(tmp_path, froide):
    folder = tmp_path / "anfragen"
    linked(folder, "frage", "https://fragdenstaat.de/a/4711")
    froide.requests["s"] = froide_request(4711, "s", status="awaiting_court", resolution="")
    code, _out, err = sync(folder, froide, "2026-12-01")
    assert code == 0
    assert f"{folder}/frage.yaml: FragDenStaat reports an unknown status 'awaiting_court'; kept as text" in err
    assert history(folder)[0]["status"] == "awaiting_court"
    assert load_anfragen(folder, FDS).lagen["frage"].froide_status == "awaiting_court"


def test_a_404_is_reported_and_the_others_are_recorded(tmp_path, froide):
    folder = tmp_path / "anfragen"
    linked(folder, "weg", "https://fragdenstaat.de/a/13")
    linked(folder, "privat", "https://fragdenstaat.de/anfrage/nicht-mehr-da/")
    linked(folder, "da", "https://fragdenstaat.de/a/4711")
    froide.requests["s"] = froide_request(4711, "s")
    froide.gone.add(13)
    code, out, err = sync(folder, froide, "2026-12-01")
    assert code == 1
    assert f"not found: {folder}/weg.yaml: https://fragdenstaat.de/a/13: HTTP 404" in err
    assert f"not found: {folder}/privat.yaml: https://fragdenstaat.de/anfrage/nicht-mehr-da/: FragDenStaat lists no request" in err
    assert [l["anfrage"] for l in history(folder)] == ["da", "da"] and "2 not found" in out


@pytest.mark.parametrize("breakage", ["truncated", "not-json", "wrong-shape", "bad-date", "other-host"])
def test_a_failed_answer_writes_nothing(tmp_path, froide, breakage):
    folder = fixture_folder(tmp_path)
    before = tree_digest(folder)
    linked(folder, "zweite", "https://fragdenstaat.de/a/4712")
    before = tree_digest(folder)
    froide.requests["stand-der-online-dienste"] = froide_request(4711, "stand-der-online-dienste", status="resolved",
                                                                 resolution="successful")
    froide.requests["b"] = froide_request(4712, "b")
    if breakage == "truncated":
        froide.truncated.add(4712)
    else:
        good = froide_request(4712, "b")
        good = {"not-json": b"<html>Wartung</html>", "wrong-shape": json.dumps([good]).encode(),
                "bad-date": json.dumps({**good, "due_date": "bald"}).encode(),
                "other-host": json.dumps({**good, "url": "//evil.example/anfrage/b/"}).encode()}[breakage]
        froide.raw[4712] = good
    code, _out, err = sync(folder, froide, "2026-12-05")
    assert code == 1 and "nothing was written" in err and "zweite.yaml" in err
    assert tree_digest(folder) == before


def test_the_guard_refuses_loopback_without_allow_private(tmp_path, froide):
    folder = tmp_path / "anfragen"
    linked(folder, "frage", "https://fragdenstaat.de/a/4711")
    froide.requests["s"] = froide_request(4711, "s")
    code, _out, err = sync(folder, froide, "2026-12-01", allow_private=False)
    assert code == 2 and "refused" in err and froide.paths == []
    assert not (folder / "fragdenstaat.jsonl").exists()


def test_a_date_before_the_history_is_refused(tmp_path, froide):
    folder = fixture_folder(tmp_path)
    froide.requests["stand-der-online-dienste"] = froide_request(4711, "stand-der-online-dienste")
    before = tree_digest(folder)
    with pytest.raises(ValueError, match="older than the newest date in the history"):
        sync(folder, froide, "2026-11-30")
    assert tree_digest(folder) == before


def test_make_update_anfragen_with_args(project, froide):
    """The command as make runs it: ARGS='--url … --allow-private --date …', exit codes, the file."""
    for f in FIXTURES.glob("*.yaml"):
        shutil.copy(f, project / "data/anfragen" / f.name)
    froide.requests["stand-der-online-dienste"] = froide_request(
        4711, "stand-der-online-dienste", title='Stand <script>alert("x")</script>')
    args = f"--url {froide.base} --allow-private --date 2026-12-07"
    dry = subprocess.run(["make", "-n", "update-anfragen", f"ARGS={args}"], cwd=ROOT, capture_output=True, text=True)
    assert f"-m wachhund.commands.anfragen {args}" in dry.stdout, dry.stdout + dry.stderr
    result = subprocess.run([sys.executable, "-m", "wachhund.commands.anfragen", *args.split()],
                            cwd=project, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "1 FragDenStaat request(s) read, 1 changed" in result.stdout
    lines = history(project / "data/anfragen")
    assert lines[0]["title"] == 'Stand <script>alert("x")</script>' and lines[1]["geprueft"] == "2026-12-07"
