"""Indicators (Kennzahlen) with their evidence (issue 15, item 1): the data file's validation
(importer: tests/commands/test_kennzahlen_import.py; pages: tests/plugins/test_kennzahlen_pages.py)."""

import pytest

from wachhund.ozg.kennzahlen import parse
from tests.support import ROOT
from wachhund.lib.yamlfile import DataError

DATA = ROOT / "data" / "ozg" / "kennzahlen.yaml"


def test_data_file_refuses_a_value_without_evidence_with_its_line(tmp_path):
    text = DATA.read_text(encoding="utf-8")
    first = text.index("  beleg:")
    line = text.count("\n", 0, first) + 1
    end = text.index("\n  hinweis:", first)
    broken = tmp_path / "kennzahlen.yaml"
    broken.write_text(text[:first] + "  beleg: ''" + text[end:], encoding="utf-8")
    with pytest.raises(DataError) as error:
        parse(broken, "data/ozg/kennzahlen.yaml")
    assert f"data/ozg/kennzahlen.yaml:{line}: a value needs evidence" in str(error.value)


def test_data_file_refuses_a_source_that_is_not_http(tmp_path):
    text = DATA.read_text(encoding="utf-8").replace(
        "quelle_url: https://www.bayerische-staatszeitung.de/", "quelle_url: javascript:alert(1)//", 1)
    broken = tmp_path / "kennzahlen.yaml"
    broken.write_text(text, encoding="utf-8")
    with pytest.raises(DataError) as error:
        parse(broken, "data/ozg/kennzahlen.yaml")
    assert "quelle_url must be an http(s) URL" in str(error.value)
