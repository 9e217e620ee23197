"""The status store's writer: its fast join gives the csv module's bytes, for any field."""

import csv
import datetime as dt
import io

from hypothesis import given, settings, strategies as st

from wachhund.ozg.status_store import STATUS_COLUMNS, StatusRow, _status_lines

# Text with the characters that make the csv module quote a field, and a few ordinary ones.
text = st.text(alphabet=st.sampled_from(list('ab ,"\n\rä1') + ["\u2028"]), max_size=6)
rows = st.lists(st.builds(
    StatusRow, st.just("051120000000"), st.just("99000000000000"), st.sampled_from(["", "7", "12"]),
    st.one_of(st.none(), st.integers(0, 600)), st.dates(dt.date(2020, 1, 1), dt.date(2030, 1, 1)),
    st.booleans(), text, text, text, text), max_size=8)


def by_csv_module(rows) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(STATUS_COLUMNS)
    writer.writerows([(r.ars, r.leika_key, r.ozgid, "" if r.ozg_id is None else str(r.ozg_id), r.datum.isoformat(),
                       "ja" if r.vorhanden else "nein", r.online_status, r.aktiv, r.art, r.url) for r in rows])
    return out.getvalue()


@settings(max_examples=400, deadline=None)
@given(rows)
def test_the_fast_writer_gives_the_csv_modules_bytes(rows):
    assert _status_lines(rows) == by_csv_module(rows)


def test_the_fast_writer_takes_an_iterator_and_no_rows():
    row = StatusRow("051120000000", "99000000000000", "", 3, dt.date(2026, 11, 20), True, "ok", "ja", "", "")
    assert _status_lines(iter([row])) == by_csv_module([row])
    assert _status_lines([]) == by_csv_module([])
