"""Questions to authorities (issue 26): the question files, the history, the Stand and days,
and the feed entries (the sync: tests/commands/test_anfragen_sync.py; the pages:
tests/plugins/test_anfragen_pages.py)."""

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest

from tests.anfragen_data import BASE_YAML, DONE, FDS, FIXTURES, OPEN, write
from tests.support import ROOT

from wachhund.anfragen import load_anfragen, load_history, load_questions
from wachhund.anfragen.feed import entries
from wachhund.anfragen.settings import get_settings
from wachhund.lib.settings import SettingsError
from wachhund.lib.yamlfile import DataError

D = dt.date.fromisoformat


def problems(folder):
    with pytest.raises(DataError) as caught:
        load_questions(folder, FDS)
    return str(caught.value)


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


def test_feed_content_escapes_what_the_author_and_froide_wrote(tmp_path):
    folder = tmp_path / "anfragen"
    write(folder, "boese", BASE_YAML.replace("frage: Welche OZG-Leistungen bieten Sie online an?",
                                             'frage: "<img src=x onerror=alert(1)> & mehr"'))
    [entry] = entries(load_anfragen(folder, FDS), "", "anfragen")
    assert "<img" not in str(entry.content) and "&lt;img src=x onerror=alert(1)&gt; &amp; mehr" in str(entry.content)
