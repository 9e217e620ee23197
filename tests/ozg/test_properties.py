"""Property-based tests (Hypothesis) of the data layer: the schema and the YAML loader
(the directive parser and HTML escaping: tests/plugins/test_render_properties.py)."""

import datetime as dt
import shutil
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wachhund.ozg.schema import load_model
from wachhund.lib.yamlfile import DataError, dump_yaml, load_text

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "ozg"

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
