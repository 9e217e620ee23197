"""The indicators' importer (issue 15, item 1): reproduces the committed file, refuses values
without source or evidence and writes nothing then."""

import csv
import shutil

import pytest

from wachhund.commands.importers import kennzahlen as importer
from wachhund.ozg.kennzahlen import parse
from tests.support import ROOT

DATA = ROOT / "data" / "ozg" / "kennzahlen.yaml"
SOURCE = ROOT / "data" / "sources" / "kennzahlen.csv"


def real():
    return parse(DATA, "data/ozg/kennzahlen.yaml")


def source_rows():
    with open(SOURCE, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_import_reproduces_the_committed_file_and_keeps_every_row(tmp_path):
    sources, ozg = tmp_path / "sources", tmp_path / "ozg"
    sources.mkdir()
    shutil.copy(SOURCE, sources / "kennzahlen.csv")
    assert importer.run(sources, ozg) is True
    assert (ozg / "kennzahlen.yaml").read_bytes() == DATA.read_bytes()
    assert importer.run(sources, ozg) is False  # a second run changes nothing
    werte = real().werte
    rows = source_rows()
    assert len(werte) == len(rows) == 114
    assert sum(1 for w in werte if not w.dated) == sum(1 for r in rows if not r["stand"]) == 28
    for wert, row in zip(werte, rows):
        assert (wert.reihe, wert.gebiet, wert.stand or "", wert.beleg) == (row["reihe"], row["gebiet"], row["stand"], row["beleg"])
        assert float(wert.wert) == float(row["wert"])


@pytest.mark.parametrize("column, message", [
    ("beleg", "a value needs evidence (beleg"),
    ("quelle_url", "a value needs a source (quelle_url)"),
])
def test_import_refuses_a_value_without_source_or_evidence_and_writes_nothing(tmp_path, column, message):
    sources, ozg = tmp_path / "sources", tmp_path / "ozg"
    sources.mkdir()
    rows = source_rows()
    rows[4][column] = ""
    with open(sources / "kennzahlen.csv", "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    with pytest.raises(importer.KennzahlenError) as error:
        importer.run(sources, ozg)
    assert str(error.value).startswith("data/sources/kennzahlen.csv:")
    assert message in str(error.value)
    assert not ozg.exists()
