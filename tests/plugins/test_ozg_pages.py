"""The OZG pages and exports built from data/ozg/, with hostile strings escaped."""

import csv
import io
import json

from bs4 import BeautifulSoup

from wachhund.ozg.schema import load_model
from tests.support import ROOT, build_site


def test_ozg_pages_and_exports_round_trip(site):
    model = load_model(ROOT / "data" / "ozg")
    for slug in model.kommunen:
        summary = model.summary(slug)
        data = json.loads((site / "ozg" / f"{slug}.json").read_text(encoding="utf-8"))
        assert data["zusammenfassung"]["reifegrad_3_plus"] == summary["reifegrad_3_plus"]
        rows = list(csv.DictReader(io.StringIO((site / "ozg" / f"{slug}.csv").read_text(encoding="utf-8"))))
        with_id = [r for r in rows if r["ozg_id"]]
        assert len(with_id) == summary["gesamt"] == 557
        assert sum(r["online"] == "ja" for r in with_id) == summary["online"]
        assert sum(1 for r in rows if not r["ozg_id"]) == summary["ohne_ozg_zuordnung"]
        assert [r["online"] == "ja" for r in with_id] == [
            bool(item["online"]) for item in data["leistungen"] if item["ozg_id"]
        ]
        page = BeautifulSoup((site / "ozg" / slug / "index.html").read_text(encoding="utf-8"), "html.parser")
        assert page.select_one("svg.ozg-chart")
        assert page.select_one("table.ozg-history")
        assert page.find("a", href=f"/ozg/{slug}.csv") and page.find("a", href=f"/ozg/{slug}.json")
        ids = {tr["data-ozg-id"] for tr in page.select("table.ozg-table tr[data-ozg-id]") if tr["data-ozg-id"]}
        assert len(ids) == 557
    overview = (site / "ozg" / "index.html").read_text(encoding="utf-8")
    assert "31. Dezember 2022" in overview and "1.381 Tagen" in overview  # Duisburg, data of 12 Oct 2026
    box = BeautifulSoup((site / "index.html").read_text(encoding="utf-8"), "html.parser").select_one(".ozg-box")
    assert "von 557 Leistungen" in box.get_text()


HOSTILE = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    # Control characters are refused in hand-kept data since issue 22 (tests/lib/test_clean_text.py).
    "Steuerzeichen und ' Anführung \"",
]


def test_hostile_strings_in_data_are_escaped(project, tmp_path):
    text = (project / "data/ozg/kommunen/duisburg.yaml").read_text(encoding="utf-8")
    hostile = "\n".join(
        f"""  - leika: "9900000000000{i}"
    leika_name: {json.dumps(value)}
    datum: 2026-10-13
    online: ja
    quelle_dokument: {json.dumps(value)}
    zustaendig: {json.dumps(value)}
    onlinedienst: {json.dumps(value)}
    notiz: {json.dumps(value)}"""
        for i, value in enumerate(HOSTILE)
    )
    (project / "data/ozg/kommunen/duisburg.yaml").write_text(text + hostile + "\n", encoding="utf-8")
    out = tmp_path / "out"
    result = build_site(project, out)
    assert result.returncode == 0, result.stderr
    for path in [out / "ozg/duisburg/index.html", out / "ozg/duisburg.csv", out / "ozg/duisburg.json"]:
        body = path.read_text(encoding="utf-8")
        assert "\x07" not in body and "\x1b" not in body
        if path.suffix == ".html":
            assert "<script>alert" not in body and "<img src=x" not in body
            assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body
            page = BeautifulSoup(body, "html.parser")
            assert not page.find("img")
            assert all(not s.get("src", "").startswith("x") for s in page.find_all("script"))
