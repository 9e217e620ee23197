"""The federal dashboard import at any size, its store and the ranking (issue 14; the pages:
tests/plugins/test_ranking_pages.py).

A local export server on 127.0.0.1 (tests/dashboardserver.py) serves one fixture in every
supported shape. The expected counts come from `expected_counts`, a plain re-statement of the
counting method over the fixture, not from the plugin's code.
"""

import csv
import io

import pytest

from tests.support import tree_digest
from tests.dashboardserver import (FIELDS, NRW, DUISBURG, ESSEN, RATINGEN, record, fixture_records, expected_counts,
                                   ranks, as_csv, ExportServer, update, catalogue_and_mapping, ranking_of)


@pytest.fixture
def server():
    export = ExportServer()
    yield export
    export.http.shutdown()


@pytest.mark.parametrize("shape", ["csv", "csv-semicolon-bom-camel", "xlsx", "json"])
def test_every_shape_gives_the_counts_of_the_method(project, server, shape, capsys):
    assert update(project, server.url(shape), "2026-11-20") == 0
    ids, mapping = catalogue_and_mapping(project)
    expected = expected_counts(fixture_records(), ids, mapping)
    ranking = ranking_of(project)
    assert {ars: mu.count for ars, mu in ranking.municipalities.items()} == expected
    assert {ars: mu.rank for ars, mu in ranking.municipalities.items()} == ranks(expected)
    # the fixture's sanity: the rules make a difference
    assert expected[DUISBURG] == 4 and expected[RATINGEN] == 4 and expected[ESSEN] == 2
    where = {"json": "record 15", "xlsx": "row 16"}.get(shape, "line 16")
    assert f"{where}: unknown online_status 'teilweise'" in capsys.readouterr().err
    if shape == "json":
        # includeBelow/includeAbove are set explicitly on every request (issue 25)
        scope = "includeBelow=true&includeAbove=true"
        assert [p.split("?")[1] for p in server.paths] == [
            scope, f"{scope}&page=1", f"{scope}&page=2", f"{scope}&page=3"]


def test_reimport_changes_no_byte_and_one_flip_records_one_dated_change(project, server):
    data = project / "data" / "ozg"
    assert update(project, server.url("csv"), "2026-11-20") == 0
    first = tree_digest(data)
    assert update(project, server.url("csv"), "2026-11-20") == 0
    assert tree_digest(data) == first
    # a day later, same data: only the import log grows, by one line
    assert update(project, server.url("csv-semicolon-bom-camel"), "2026-11-21") == 0
    changed = {p for p in tree_digest(data) if tree_digest(data)[p] != first.get(p)}
    assert changed == {"dashboard/importe.csv"}
    status = (data / "dashboard/status/05112.csv").read_text(encoding="utf-8")
    server.records = fixture_records(flip=True)
    assert update(project, server.url("csv"), "2026-11-22") == 0
    after = (data / "dashboard/status/05112.csv").read_text(encoding="utf-8")
    added = [line for line in after.splitlines() if line not in status.splitlines()]
    assert len(added) == 1 and added[0].startswith("051120000000,99108001000000,10173,10173,2026-11-22,ja,nicht ok,")
    ranking = ranking_of(project)
    assert [(c.datum.isoformat(), c.ars, c.ozg_id, c.online) for c in ranking.changes] == [
        ("2026-11-22", DUISBURG, 10173, False)]
    assert ranking.municipalities[DUISBURG].delta == -1 and ranking.municipalities[ESSEN].delta == 0
    log = (data / "dashboard/importe.csv").read_text(encoding="utf-8").splitlines()
    assert [line.split(",")[0] for line in log[1:]] == ["2026-11-20", "2026-11-21", "2026-11-22"]
    assert [line.rsplit(",", 1)[1] for line in log[1:]] == ["16", "0", "1"]  # 17 rows, one key twice


def test_a_service_that_leaves_the_export_is_recorded_once(project, server):
    assert update(project, server.url("csv"), "2026-11-20") == 0
    server.records = [r for r in fixture_records() if not (r["ars"] == RATINGEN)] + [
        record(RATINGEN, "99088031000000", "10023")]
    assert update(project, server.url("csv"), "2026-11-21") == 0
    assert update(project, server.url("csv"), "2026-11-22") == 0
    rows = (project / "data/ozg/dashboard/status/05158.csv").read_text(encoding="utf-8").splitlines()
    gone = [r for r in rows if r.startswith(f"{RATINGEN},99108001000000")]
    assert [r.split(",")[4:6] for r in gone] == [["2026-11-20", "ja"], ["2026-11-21", "nein"]]


@pytest.mark.parametrize("breakage, message", [
    (lambda rs: [{k: v for k, v in r.items() if k != "aktiv"} for r in rs], "missing column(s) aktiv"),
    (lambda rs: rs[:3] + [{**rs[3], "leika_key": "9904100900000"}] + rs[4:], "line 5: leika_key: expected 14 digits"),
    (lambda rs: rs[:6] + [{**rs[6], "ars": "51120000000"}] + rs[7:], "line 8: ars: expected 12 digits"),
])
def test_structural_errors_name_the_row_and_write_nothing(project, server, breakage, message, capsys):
    records = breakage(fixture_records())
    fields = [f for f in FIELDS if f in records[0]]
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=fields, lineterminator="\n")
    writer.writeheader()
    writer.writerows(records)
    server.body = lambda path: out.getvalue().encode()
    digest = tree_digest(project / "data")
    assert update(project, server.url("csv"), "2026-11-20") == 1
    assert message in capsys.readouterr().err
    assert tree_digest(project / "data") == digest


def test_a_bad_key_is_found_in_every_row_that_has_it(project, server, capsys):
    """The import checks each distinct key once and remembers the good ones: a bad key right
    after a good row of the same service, and the same bad key in the next row, are each named."""
    records = fixture_records()
    bad = {**records[6], "ars": "05112000000x"}
    body = as_csv(records[:7] + [bad, bad] + records[7:])
    server.body = lambda path: body
    digest = tree_digest(project / "data")
    assert update(project, server.url("csv"), "2026-11-20") == 1
    err = capsys.readouterr().err
    assert "line 9: ars: expected 12 digits, got '05112000000x'" in err
    assert "line 10: ars: expected 12 digits, got '05112000000x'" in err
    assert tree_digest(project / "data") == digest


def test_the_store_does_not_depend_on_the_order_of_the_rows(project, server):
    """The import's per-value shortcuts must not depend on the rows of a region coming
    together: an export ordered by service instead gives the same store."""
    import shutil

    records = fixture_records()
    by_service = sorted(records, key=lambda r: (r["leika_key"], r["ozgid"], r["ars"]), reverse=True)
    assert [r["ars"] for r in by_service] != [r["ars"] for r in records]
    stores = []
    for order in (records, by_service):
        shutil.rmtree(project / "data/ozg/dashboard", ignore_errors=True)
        body = as_csv(order)
        server.body = lambda path, body=body: body
        assert update(project, server.url("csv"), "2026-11-20") == 0
        stores.append(tree_digest(project / "data/ozg/dashboard"))
    assert stores[0] == stores[1]


def test_truncated_export_writes_nothing_and_a_redirect_is_followed(project, server):
    assert update(project, server.url("csv"), "2026-11-20") == 0
    digest = tree_digest(project / "data")
    server.truncate = True
    server.records = fixture_records(flip=True)
    assert update(project, server.url("csv"), "2026-11-21") == 1
    assert tree_digest(project / "data") == digest
    server.truncate = False
    assert update(project, server.url("csv", prefix="redirect"), "2026-11-21") == 0
    assert ranking_of(project).changes[0].ars == DUISBURG


def test_a_short_row_names_its_line(project, server, capsys):
    body = as_csv(fixture_records())
    server.body = lambda path: body.rsplit(b",", 3)[0]  # the last row cut off, without Content-Length lies
    assert update(project, server.url("csv"), "2026-11-20") == 1
    assert "line 18: expected 13 fields" in capsys.readouterr().err
    assert not (project / "data/ozg/dashboard").exists()


def test_a_large_export_is_read_to_its_end(server):
    """The guard reads until the body ends: one read() returns only what has arrived."""
    from wachhund.lib.net import AddressPolicy
    from wachhund.lib.net.guarded import download

    body = as_csv(fixture_records() * 2000)  # about 4 MB
    server.body = lambda path: body
    _url, got = download(server.url("csv").format(ars=NRW), AddressPolicy(allow_private=True), {}, 1 << 30)
    assert len(body) > 3_000_000 and got == body


def test_make_update_ozg_passes_a_url_with_ampersands_whole(project, server):
    """The README's command: `make update-ozg ARS=… URL='…{ars}…&…'` (a shell would
    cut an unquoted URL at `&`)."""
    import subprocess

    from tests.support import ROOT

    url = server.url("csv") + "&filetype=csv"
    result = subprocess.run(
        ["make", "-s", "-C", str(ROOT), "update-ozg", f"ARS={NRW}", f"URL={url}",
         f"ARGS=--data-dir {project / 'data/ozg'} --date 2026-11-20 --allow-private"],
        capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert server.paths == [f"/export/csv/{NRW}?filetype=csv&includeBelow=true&includeAbove=true"]
    assert (project / "data/ozg/dashboard/status/05112.csv").exists()


def test_rows_made_with_the_collector_paused_are_not_left_for_its_next_pass():
    """The import makes half a million rows with the cyclic collector paused. Switched on again
    with them in the youngest generation, its next pass would walk every one (0.4 s at NRW
    size, for nothing: the rows make no cycles); they go to the oldest generation first."""
    import gc

    from wachhund.commands.importers.dashboard import no_collections

    assert gc.isenabled()
    gc.collect()  # every generation's count at 0: no pass below reaches the oldest by itself
    with no_collections():
        assert not gc.isenabled()
        rows = [[n] for n in range(5000)]
    assert gc.isenabled()
    oldest = {id(o) for o in gc.get_objects(generation=2)}
    assert all(id(row) in oldest for row in rows), "the rows were left for the young generations' passes"


def test_without_a_catalogue_the_import_says_which_command_makes_it(project, server, capsys):
    """The importer reads only the catalogue of the model (the ids it maps services to); a missing
    one stops it before any request, naming the file and the command that makes it."""
    (project / "data/ozg/katalog.yaml").unlink()
    assert update(project, server.url("csv"), "2026-11-20") == 1
    assert "data/ozg/katalog.yaml: missing; run `make import-catalog`" in capsys.readouterr().err
    assert not (project / "data/ozg/dashboard").exists()
    assert server.paths == []  # no request was made
