"""Property-based tests (Hypothesis): directive parser, data schema, HTML escaping."""

import datetime as dt
import shutil
from pathlib import Path

from bs4 import BeautifulSoup
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ozg_status import render
from ozg_status.directive import OPTIONS, DirectiveError, parse_directive
from ozg_status.model import Model, Observation, Kommune, Leistung
from ozg_status.schema import clean_text, load_model
from wachhund_yaml import DataError, dump_yaml, load_text

FIXTURES = Path(__file__).parent / "fixtures" / "ozg"
value_text = st.text(alphabet=st.characters(blacklist_characters='"\n\r', blacklist_categories=("Cs",)), max_size=30)


@given(st.sampled_from(sorted(OPTIONS)), st.data())
def test_directive_options_round_trip(kind, data):
    keys = data.draw(st.lists(st.sampled_from(sorted(OPTIONS[kind])), unique=True))
    options = {key: data.draw(value_text) for key in keys}
    body = kind + "".join(f' {k}="{v}"' for k, v in options.items())
    try:
        parsed = parse_directive(body, 7)
    except DirectiveError as exc:
        assert exc.lineno == 7
        assert "needs" in exc.msg  # only a missing required option may fail
        return
    assert parsed == (kind, options)


@given(st.text(max_size=80))
def test_directive_parser_never_crashes(body):
    try:
        kind, options = parse_directive(body, 3)
    except DirectiveError as exc:
        assert exc.lineno == 3 and exc.msg
    else:
        assert kind in OPTIONS and set(options) <= OPTIONS[kind]


scalars = st.one_of(
    st.none(), st.booleans(), st.integers(-10, 100_000), st.text(max_size=20),
    st.dates(dt.date(1990, 1, 1), dt.date(2030, 1, 1)), st.sampled_from(["ja", "nein", "javascript:x", "https://a.de/"]),
)
observation = st.dictionaries(
    st.sampled_from(["ozg_id", "leika", "leika_name", "datum", "online", "reifegrad", "nur_terminbuchung",
                     "url", "quelle", "quelle_dokument", "notiz", "farbe"]),
    scalars, max_size=8,
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(observation, max_size=4))
def test_schema_accepts_or_names_file_and_line(tmp_path, observations):
    data_dir = tmp_path / "data" / "ozg"
    shutil.rmtree(tmp_path / "data", ignore_errors=True)
    shutil.copytree(FIXTURES, data_dir)
    header = {"slug": "teststadt", "name": "Teststadt", "ars": "059990000000", "ebene": "kommune",
              "beobachtungen": observations}
    (data_dir / "kommunen/teststadt.yaml").write_text(dump_yaml(header), encoding="utf-8")
    try:
        model = load_model(data_dir)
    except DataError as exc:
        for path, line, message in exc.problems:
            assert path.endswith("teststadt.yaml") and line >= 1 and message
    else:
        for obs in model.kommunen["teststadt"].observations:
            assert obs.reifegrad in (None, 0, 1, 2, 3, 4)
            assert obs.quelle is None or obs.quelle.startswith(("http://", "https://"))
            assert obs.ozg_id is None or obs.ozg_id in model.catalogue


@given(st.text(max_size=60))
def test_yaml_loader_never_crashes(text):
    try:
        load_text(text, "x.yaml")
    except DataError as exc:
        assert str(exc).startswith("x.yaml")


@given(st.text(max_size=80), st.text(max_size=80))
def test_data_values_are_escaped_in_tables(name, note):
    name, note = clean_text(name) or "x", clean_text(note)
    catalogue = {10000: Leistung(10000, name, "Feld", "Lage")}
    obs = Observation(datum=dt.date(2026, 1, 1), ozg_id=10000, online=True, notiz=note or None,
                      quelle_dokument=name)
    model = Model(catalogue, {"name": name, "url": None, "stand": dt.date(2019, 10, 5)},
                  {"k": Kommune("k", name, "051120000000", "kommune", "", [obs])})
    html = str(render.status_table(model, "k", model.statuses("k"), name, "t1"))
    soup = BeautifulSoup(html, "html.parser")
    allowed = {"div", "table", "caption", "span", "thead", "tbody", "tr", "th", "td", "time"}
    assert {tag.name for tag in soup.find_all(True)} <= allowed
    row = soup.find("tr", attrs={"data-ozg-id": "10000"})
    assert row.find("th").get_text() == name
    if note.strip():
        assert note.strip()[:20] in row.get_text() or note[:20] in row.get_text()
