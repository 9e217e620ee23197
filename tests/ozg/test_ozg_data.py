"""Schema validation of data/ozg/ (issue: OZG status); the importers are tested in
tests/commands/test_ozg_importers.py, the pages in tests/plugins/test_ozg_pages.py."""

import csv
import io
import shutil
from pathlib import Path

import pytest

from wachhund.ozg.schema import load_model
from tests.dashboardserver import export_server  # noqa: F401 - a fixture the tests below use
from tests.support import ROOT
from wachhund.lib.yamlfile import DataError

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "ozg"
STADT = """\
slug: teststadt
name: Teststadt
ars: "059990000000"
ebene: kommune
beobachtungen:
  - ozg_id: 10000
    datum: 2025-01-10
    reifegrad: 1
    quelle: https://example.org/a
"""


@pytest.fixture
def data_dir(tmp_path):
    root = tmp_path / "proj"
    target = root / "data" / "ozg"
    shutil.copytree(FIXTURES, target)
    return target


def problems_for(data_dir, text):
    (data_dir / "kommunen" / "teststadt.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(DataError) as info:
        load_model(data_dir)
    return str(info.value)


@pytest.mark.parametrize(
    "old, new, expected",
    [
        ("reifegrad: 1", "reifegrad: 5", "data/ozg/kommunen/teststadt.yaml:8: reifegrad must be 0-4, got 5"),
        ("ozg_id: 10000", "ozg_id: 424242", "teststadt.yaml:6: unknown OZG-ID 424242"),
        ("    reifegrad: 1\n", "    reifegrad: 1\n    reifegrad: 2\n", "teststadt.yaml:9: duplicate key 'reifegrad' (first on line 8)"),
        ("datum: 2025-01-10", "datum: 2025-02-30", "teststadt.yaml:7: '2025-02-30' is not a valid date"),
        ("datum: 2025-01-10", "datum: 10.01.2025", "teststadt.yaml:7: datum must be a date YYYY-MM-DD, got '10.01.2025'"),
        ("quelle: https://example.org/a", "quelle: javascript:alert(1)", "teststadt.yaml:9: quelle must be an http(s) URL, got 'javascript:alert(1)'"),
        ("quelle: https://example.org/a", "quelle: data:text/html,<b>x</b>", "teststadt.yaml:9: quelle must be an http(s) URL"),
        ("    quelle: https://example.org/a\n", "", "teststadt.yaml:6: source missing"),
        ("reifegrad: 1", "reifegrad: [1", "teststadt.yaml:9: not valid YAML"),
        ("reifegrad: 1", "reifegrad: drei", "reifegrad must be 0-4, got 'drei'"),
        ("reifegrad: 1", "reifegrad: 1\n    url: javascript:alert(1)", "teststadt.yaml:9: url must be an http(s) URL"),
        ("reifegrad: 1", "reifegrad: 1\n    farbe: rot", "teststadt.yaml:9: unknown field 'farbe'"),
        ('ars: "059990000000"', "ars: 5999", "teststadt.yaml:3: ars must be a 12-digit key"),
        # One ARS rule: twelve ASCII digits (a regex \d{12}$ let these through).
        ('ars: "059990000000"', 'ars: "\u0660\u0665\u0669\u0669\u0669\u0660\u0660\u0660\u0660\u0660\u0660\u0660"',
         "teststadt.yaml:3: ars must be a 12-digit key"),
        ('ars: "059990000000"', 'ars: "059990000000\\n"', "teststadt.yaml:3: ars must be a 12-digit key"),
    ],
)
def test_schema_errors_name_file_line_and_field(data_dir, old, new, expected):
    assert old in STADT
    assert expected in problems_for(data_dir, STADT.replace(old, new, 1))


def test_all_problems_reported_at_once(data_dir):
    text = STADT.replace("reifegrad: 1", "reifegrad: 9").replace("ozg_id: 10000", "ozg_id: 1")
    message = problems_for(data_dir, text)
    assert "reifegrad must be 0-4" in message and "unknown OZG-ID 1" in message


def test_real_data_validates_and_keeps_unmatched_wsp_entries():
    model = load_model(ROOT / "data" / "ozg")
    assert len(model.catalogue) == 557
    assert list(model.kommunen)[:2] == ["duisburg", "nrw"]
    nrw = model.summary("nrw")
    assert nrw["online"] == 22 and nrw["ohne_ozg_zuordnung"] == 209
    duisburg = {s.ozg_id: s for s in model.statuses("duisburg")}
    assert duisburg[10173].online and duisburg[10023].online
    assert sum(1 for s in duisburg.values() if s.known) == 2


def test_guard_checks_the_address_of_every_hop(export_server):
    """A hop to an address the policy does not allow is refused before anything
    connects to it (127.0.0.2: loopback, but not the allowed 127.0.0.1)."""
    from wachhund.lib.net import AddressPolicy, UnsafeURL
    from wachhund.lib.net.guarded import download

    port = export_server["url"].split(":")[2].split("/")[0]
    export_server["redirect"] = f"http://127.0.0.2:{port}/elsewhere.csv"
    policy = AddressPolicy(allowed_hosts=frozenset({"127.0.0.1"}))
    with pytest.raises(UnsafeURL):
        download(export_server["url"].format(ars="059990000000"), policy, {}, 1 << 20)
    assert export_server["paths"] == ["/api/v1/data/059990000000?filetype=csv"]


@pytest.mark.parametrize("formula", ['=HYPERLINK("https://evil.example/","Quelle")', "@SUM(1+1)*cmd|' /C calc'!A0",
                                     "+1+1", "-2+3", "\tTab", "\rReturn"])
def test_csv_export_neutralises_formulas(data_dir, formula):
    """Cells from data that a spreadsheet would execute start with an apostrophe."""
    from wachhund.ozg.exports import to_csv

    path = data_dir / "kommunen" / "teststadt.yaml"
    quoted = formula.replace("\\", "\\\\").replace('"', '\\"').replace("\t", "\\t").replace("\r", "\\r")
    path.write_text(path.read_text(encoding="utf-8") + (
        f'  - leika: "99000000000002"\n    leika_name: "{quoted}"\n    datum: 2025-07-01\n'
        f'    online: nein\n    quelle_dokument: "{quoted}"\n'), encoding="utf-8")
    rows = list(csv.reader(io.StringIO(to_csv(load_model(data_dir), "teststadt"), newline="")))
    cells = [cell for row in rows for cell in row]
    stored = formula.strip()  # the data layer already trims leading tabs and line breaks
    assert (("'" + stored) if stored[0] in "=+-@" else stored) in cells
    assert not [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r")]
