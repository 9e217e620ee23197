"""Questions to authorities (issue 26): the question files, the FragDenStaat sync against a
stand-in froide on 127.0.0.1, the Stand and days, the feed entries, and the built pages."""

import datetime as dt
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from tests.froideserver import FroideServer, froide_request
from tests.support import ROOT, build_site, tree_digest

from wachhund.anfragen import load_anfragen, load_history, load_questions
from wachhund.anfragen.feed import entries
from wachhund.anfragen.settings import get_settings
from wachhund.commands import anfragen as command
from wachhund.lib.settings import SettingsError
from wachhund.lib.yamlfile import DataError

FDS = "https://fragdenstaat.de"
FIXTURES = ROOT / "tests/fixtures/anfragen"
OPEN = "digitalteam-online-dienste"  # fixture: open, overdue, synced
DONE = "ministerpraesident-mail"  # fixture: answered in part, no FragDenStaat
D = dt.date.fromisoformat

BASE_YAML = """titel: Stand der Online-Dienste
an: Stadt Beispielstadt
gestellt: 2026-09-01
kanal: E-Mail
frage: Welche OZG-Leistungen bieten Sie online an?
"""


def write(folder: Path, slug: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{slug}.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def problems(folder):
    with pytest.raises(DataError) as caught:
        load_questions(folder, FDS)
    return str(caught.value)


# --- the question files ------------------------------------------------------------------

@pytest.mark.parametrize("extra, line, message", [
    ("farbe: rot\n", 6, "unknown key 'farbe'"),
    ("frist: 31.12.2026\n", 6, "frist must be a date YYYY-MM-DD, got '31.12.2026'"),
    ("antwort: 2026-02-30\n", 6, "'2026-02-30' is not a valid date"),
    ("antwort: 2026-08-31\n", 6, "antwort 2026-08-31 is before gestellt 2026-09-01"),
    ("erinnerungen:\n  - 2026-09-05\n  - 2026-08-20\n", 8, "Erinnerung 2026-08-20 is before gestellt 2026-09-01"),
    ("stand: 2026-08-01\n", 6, "stand 2026-08-01 is before gestellt 2026-09-01"),
    ("antwort: 2026-10-01\nantwort_url: javascript:alert(1)\n", 7, "antwort_url must be an http(s) URL"),
    ("fragdenstaat: ftp://fragdenstaat.de/anfrage/x/\n", 6, "fragdenstaat must be an http(s) URL"),
    ("fragdenstaat: https://fragdenstaat.at/anfrage/x/\n", 6, "fragdenstaat must be a request's address on https://fragdenstaat.de"),
    ("fragdenstaat: https://fragdenstaat.de/behoerde/x/\n", 6, "fragdenstaat must be a request's address"),
    ("ergebnis: abgelehnt\n", 6, "ergebnis needs antwort"),
    ("antwort: 2026-10-01\nergebnis: super\n", 7, "ergebnis must be one of beantwortet, teilweise"),
    ("erinnerungen: 2026-09-05\n", 6, "erinnerungen must be a list of dates"),
    ("notiz: ''\n", 6, "notiz must be a non-empty text"),
])
def test_a_bad_question_fails_with_its_file_and_line(tmp_path, extra, line, message):
    write(tmp_path / "anfragen", "frage-eins", BASE_YAML + extra)
    text = problems(tmp_path / "anfragen")
    assert f"{tmp_path}/anfragen/frage-eins.yaml:{line}: {message}" in text, text


def test_a_missing_field_and_a_bad_file_name_are_named(tmp_path):
    folder = tmp_path / "anfragen"
    write(folder, "ohne-titel", BASE_YAML.replace("titel: Stand der Online-Dienste\n", ""))
    write(folder, "Gross_Buchstaben", BASE_YAML)
    text = problems(folder)
    assert "ohne-titel.yaml:1: titel is missing" in text
    assert "Gross_Buchstaben.yaml: the file name 'Gross_Buchstaben' is the question's address" in text


def test_a_good_question_is_read_with_every_field(tmp_path):
    folder = tmp_path / "anfragen"
    write(folder, OPEN, (FIXTURES / f"{OPEN}.yaml").read_text(encoding="utf-8"))
    q = load_questions(folder, FDS)[OPEN]
    assert (q.gestellt, q.frist, q.erinnerungen) == (D("2026-09-01"), D("2026-10-01"), (D("2026-10-05"), D("2026-11-02")))
    assert q.fragdenstaat == "https://fragdenstaat.de/anfrage/stand-der-online-dienste/"


def test_the_instance_is_a_setting():
    assert get_settings({"ANFRAGEN": {"FRAGDENSTAAT_URL": "https://fragdenstaat.at/"}}, ROOT).fragdenstaat_url \
        == "https://fragdenstaat.at"
    for bad in ("fragdenstaat.de", "https://fragdenstaat.de/api/", "javascript:alert(1)"):
        with pytest.raises(SettingsError, match=r"ANFRAGEN\['FRAGDENSTAAT_URL'\] must be the base URL"):
            get_settings({"ANFRAGEN": {"FRAGDENSTAAT_URL": bad}}, ROOT)
    with pytest.raises(SettingsError, match="unknown setting"):
        get_settings({"ANFRAGEN": {"URL": FDS}}, ROOT)


# --- the history file --------------------------------------------------------------------

GOOD_LINE = json.loads((FIXTURES / "fragdenstaat.jsonl").read_text(encoding="utf-8").splitlines()[0])


@pytest.mark.parametrize("change, message", [
    ({"url": "javascript:alert(1)"}, "url must be an http(s) URL"),
    ({"datum": "2026-13-01"}, "datum must be a date YYYY-MM-DD"),
    ({"farbe": "rot"}, "unknown field(s) farbe"),
    ({"id": True}, "id must be froide's request number"),
    ({"status": "a\u0007b"}, "status: control character U+0007"),
    ({"costs": -1}, "costs must be a number >= 0"),
])
def test_a_bad_history_line_fails_with_its_line(tmp_path, change, message):
    lines = [json.dumps(GOOD_LINE), json.dumps({**GOOD_LINE, "datum": "2026-09-03", **change})]
    path = tmp_path / "fragdenstaat.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(DataError) as caught:
        load_history(path, "data/anfragen/fragdenstaat.jsonl")
    assert f"data/anfragen/fragdenstaat.jsonl:2: {message}" in str(caught.value)


def test_history_of_a_question_without_file_is_an_error_with_its_line(tmp_path):
    folder = tmp_path / "anfragen"
    write(folder, DONE, (FIXTURES / f"{DONE}.yaml").read_text(encoding="utf-8"))
    shutil.copy(FIXTURES / "fragdenstaat.jsonl", folder / "fragdenstaat.jsonl")
    with pytest.raises(DataError) as caught:
        load_anfragen(folder, FDS)
    assert f"fragdenstaat.jsonl:1: history of '{OPEN}', but there is no {OPEN}.yaml" in str(caught.value)


# --- Stand, days, deadline: from the sources, never the clock ----------------------------

def fixture_folder(tmp_path) -> Path:
    folder = tmp_path / "anfragen"
    shutil.copytree(FIXTURES, folder)
    return folder


def test_stand_and_days_count_to_the_newest_date_of_the_sources(tmp_path):
    lagen = load_anfragen(fixture_folder(tmp_path), FDS).lagen
    offen, erledigt = lagen[OPEN], lagen[DONE]
    # newest of gestellt 09-01, reminders 10-05/11-02, changes 09-02/11-20, check 12-01
    assert offen.stand == D("2026-12-01") and offen.open and offen.days == 91
    assert (offen.deadline, offen.deadline_source, offen.overdue_days) == (D("2026-10-01"), "frist", 61)
    assert offen.froide_status == "eingeschlafen"
    assert (erledigt.closed_on, erledigt.outcome, erledigt.days) == (D("2026-09-20"), "teilweise beantwortet", 41)
    assert [l.question.slug for l in load_anfragen(fixture_folder(tmp_path / "b"), FDS).ordered()] == [OPEN, DONE]


def test_without_frist_froides_due_date_counts(tmp_path):
    folder = fixture_folder(tmp_path)
    path = folder / f"{OPEN}.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("frist: 2026-10-01\n", ""), encoding="utf-8")
    offen = load_anfragen(folder, FDS).lagen[OPEN]
    assert (offen.deadline, offen.deadline_source, offen.overdue_days) == (D("2026-10-02"), "fragdenstaat", 60)


# --- feed entries: a pure function of the sources ----------------------------------------

def test_feed_entries_are_dated_by_their_events(tmp_path):
    found = entries(load_anfragen(fixture_folder(tmp_path), FDS), "https://wachhund.example.org", "anfragen")
    got = [(e.date.date().isoformat(), e.title) for e in found]
    assert got == [
        ("2026-11-20", "FragDenStaat: eingeschlafen – Stand der Online-Dienste <b>fett</b>"),
        ("2026-10-01", "Frist abgelaufen: Stand der Online-Dienste <b>fett</b>"),
        ("2026-09-20", "Teilweise beantwortet: Mail an die Staatskanzlei"),
        ("2026-09-02", "FragDenStaat: wartet auf Antwort – Stand der Online-Dienste <b>fett</b>"),
        ("2026-09-01", "Anfrage gestellt: Stand der Online-Dienste <b>fett</b>"),
        ("2026-08-10", "Anfrage gestellt: Mail an die Staatskanzlei"),
    ]
    assert all(e.link.startswith("https://wachhund.example.org/anfragen/") for e in found)
    assert str(found[-1].content) == ("<p>Am 10. August 2026 per Kontaktformular an Staatskanzlei Beispielland "
                                      "gestellt:</p><blockquote><p>Wann wird der Antrag online möglich?</p></blockquote>")
    assert str(found[0].content) == ('<p>Die Anfrage <a href="https://fragdenstaat.de/anfrage/stand-der-online-dienste/">'
                                     "auf FragDenStaat</a> steht seit dem 20. November 2026 auf „eingeschlafen“.</p>")
    assert len({e.id for e in found}) == len(found)
    again = entries(load_anfragen(fixture_folder(tmp_path / "c"), FDS), "https://wachhund.example.org", "anfragen")
    assert [e.id for e in again] == [e.id for e in found]


def test_no_deadline_entry_when_the_answer_came_in_time(tmp_path):
    folder = fixture_folder(tmp_path)
    path = folder / f"{DONE}.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "frist: 2026-09-30\n", encoding="utf-8")
    titles = [e.title for e in entries(load_anfragen(folder, FDS), "", "anfragen")]
    assert "Frist abgelaufen: Mail an die Staatskanzlei" not in titles
    path.write_text(path.read_text(encoding="utf-8").replace("frist: 2026-09-30", "frist: 2026-09-10"), encoding="utf-8")
    late = [e for e in entries(load_anfragen(folder, FDS), "", "anfragen") if e.title.startswith("Frist")]
    assert [(e.date.date(), e.title) for e in late if "Staatskanzlei" in e.title] == [
        (D("2026-09-10"), "Frist abgelaufen: Mail an die Staatskanzlei")]


# --- the sync against a stand-in froide --------------------------------------------------

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


# --- the built site ----------------------------------------------------------------------

def with_fixtures(project):
    for f in FIXTURES.iterdir():
        shutil.copy(f, project / "data/anfragen" / f.name)
    post = next((project / "content/posts").glob("*.md"))
    post.write_text(post.read_text(encoding="utf-8") + f'\n{{% anfrage id="{OPEN}" %}}\n', encoding="utf-8")
    return post


def page(out, url):
    return BeautifulSoup((out / url.strip("/") / "index.html").read_text(encoding="utf-8"), "html.parser")


def test_the_real_site_has_no_invented_question(site):
    assert sorted(p.name for p in (ROOT / "data/anfragen").iterdir()) == ["README.md"]
    text = page(site, "/anfragen/").get_text(" ", strip=True)
    assert "Es sind noch keine Anfragen erfasst." in text
    assert not list((site / "anfragen").iterdir())[1:]  # index.html only


def test_pages_and_directive_from_the_fixture(project, tmp_path):
    post = with_fixtures(project)
    out = tmp_path / "out"
    result = build_site(project, out)
    assert result.returncode == 0, result.stderr
    liste = page(out, "/anfragen/")
    assert [li["data-anfrage"] for li in liste.select("li[data-anfrage]")] == [OPEN, DONE]  # open first
    first = liste.select_one(f'li[data-anfrage="{OPEN}"]').get_text(" ", strip=True)
    assert "Gestellt am 1. September 2026 , unbeantwortet seit 91 Tagen (Stand: 1. Dezember 2026 )" in first
    assert "Erinnert am 5. Oktober 2026 und 2. November 2026" in first
    assert "Frist überschritten seit 1. Oktober 2026 (unsere Frist, 61 Tage bis zum Stand)" in first
    assert "teilweise beantwortet" in liste.select_one(f'li[data-anfrage="{DONE}"]').get_text(" ", strip=True)
    for raw in ((out / "anfragen" / OPEN / "index.html").read_text(encoding="utf-8"),
                (out / "anfragen/index.html").read_text(encoding="utf-8")):
        assert "<b>fett" not in raw and "&lt;b&gt;fett&lt;/b&gt;" in raw  # a title is text
    verlauf = [li.get_text(" ", strip=True) for li in page(out, f"/anfragen/{OPEN}/").select(".anfrage-verlauf li")]
    assert verlauf[0].startswith("1. September 2026 : Anfrage gestellt") and "eingeschlafen" in verlauf[-1]
    assert "Frist abgelaufen ohne Antwort" in verlauf[2]
    boxes = [b for p in sorted(out.glob("2026/*/index.html"))
             for b in BeautifulSoup(p.read_text(encoding="utf-8"), "html.parser").select("div.anfrage-box")]
    assert len(boxes) == 1
    box = boxes[0]
    assert box.a["href"] == f"/anfragen/{OPEN}/" and "unbeantwortet seit 91 Tagen" in box.get_text(" ", strip=True)
    assert f"anfragen/{OPEN}/" in (out / "sitemap.xml").read_text(encoding="utf-8")
    # deterministic: a second build gives the same bytes
    again = tmp_path / "again"
    assert build_site(project, again).returncode == 0
    assert tree_digest(out / "anfragen") == tree_digest(again / "anfragen")


def test_an_unknown_directive_id_fails_with_the_posts_line(project, tmp_path):
    post = with_fixtures(project)
    text = post.read_text(encoding="utf-8").replace(f'id="{OPEN}"', 'id="gibt-es-nicht"')
    post.write_text(text, encoding="utf-8")
    line = text.splitlines().index('{% anfrage id="gibt-es-nicht" %}') + 1
    result = build_site(project, tmp_path / "out")
    assert result.returncode != 0
    assert (f"{post.relative_to(project)}:{line}: unknown anfrage id 'gibt-es-nicht'; "
            f"known: {OPEN}, {DONE}") in result.stderr


def test_a_bad_question_stops_the_build_with_its_line(project, tmp_path):
    write(project / "data/anfragen", "kaputt", BASE_YAML + "antwort: 2026-08-01\n")
    result = build_site(project, tmp_path / "out")
    assert result.returncode != 0
    assert "data/anfragen/kaputt.yaml:6: antwort 2026-08-01 is before gestellt 2026-09-01" in result.stderr


def test_the_feed_is_written(project, tmp_path):
    with_fixtures(project)
    out = tmp_path / "out"
    assert build_site(project, out, "publishconf.py").returncode == 0
    feed = BeautifulSoup((out / "feeds/anfragen.atom.xml").read_text(encoding="utf-8"), "xml")
    titles = [e.title.get_text() for e in feed.find_all("entry")]
    assert titles[0] == "FragDenStaat: eingeschlafen – Stand der Online-Dienste <b>fett</b>"
    assert "Frist abgelaufen: Stand der Online-Dienste <b>fett</b>" in titles


def test_the_directive_keeps_the_line_numbers_of_later_directives_and_skips_code(project, tmp_path):
    post = with_fixtures(project)
    lines = post.read_text(encoding="utf-8").splitlines()
    body = lines.index("") + 1  # after the header
    lines[body:body] = [f'{{% anfrage id="{OPEN}" %}}', "", "```", '{% anfrage id="nur-ein-beispiel" %}', "```", ""]
    lines.append('{% ozg gibtesnicht kommune="duisburg" %}')
    post.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = build_site(project, tmp_path / "out")
    assert result.returncode != 0
    assert f"{post.relative_to(project)}:{len(lines)}: unknown ozg directive 'gibtesnicht'" in result.stderr
    assert "nur-ein-beispiel" not in result.stderr


def test_feed_content_escapes_what_the_author_and_froide_wrote(tmp_path):
    folder = tmp_path / "anfragen"
    write(folder, "boese", BASE_YAML.replace("frage: Welche OZG-Leistungen bieten Sie online an?",
                                             'frage: "<img src=x onerror=alert(1)> & mehr"'))
    [entry] = entries(load_anfragen(folder, FDS), "", "anfragen")
    assert "<img" not in str(entry.content) and "&lt;img src=x onerror=alert(1)&gt; &amp; mehr" in str(entry.content)
