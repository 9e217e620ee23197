"""A control character in hand-kept data stops the build with file:line (issue 22, item 9)."""

import pytest

from tests.support import build_site, tree_digest

KENNZAHLEN = "data/ozg/kennzahlen.yaml"


@pytest.mark.parametrize("spelling, shown", [('"Nordrhein-Westfalen\\a"', "U+0007 in a text value"),
                                             ("Nordrhein-Westfalen\x07", "U+0007;"),
                                             ('"Nordrhein-\\u0085Westfalen"', "U+0085 in a text value")])
def test_a_control_character_in_an_indicator_stops_the_build(project, tmp_path, spelling, shown):
    """The issue's case: a control character in a charted series' `gebiet` made a broken SVG with exit 0."""
    out = tmp_path / "out"
    assert build_site(project, out).returncode == 0
    before = tree_digest(out)
    text = (project / KENNZAHLEN).read_text(encoding="utf-8")
    first = text.index("reihe: ozg_land_mind1kommune")
    at = text.index("gebiet: Nordrhein-Westfalen", first)
    line = text.count("\n", 0, at) + 1
    (project / KENNZAHLEN).write_text(
        text[:at] + "gebiet: " + spelling + text[at + len("gebiet: Nordrhein-Westfalen"):], encoding="utf-8")
    result = build_site(project, out)
    assert result.returncode != 0
    assert f"{KENNZAHLEN}:{line}: control character {shown}" in result.stderr
    assert "Traceback" not in result.stderr
    assert tree_digest(out) == before
