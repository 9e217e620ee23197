"""`make update-ozg ARS=…`: import the federal dashboard's status data into data/ozg/dashboard/.

Downloads the export of the "Dashboard Digitale Verwaltung" for one Amtlicher
Regionalschlüssel (URL template from OZG['DASHBOARD_URL'] or --url, `{ars}` in
it): one municipality, or with `includeBelow` a whole Land. The store records
a row only where a service's status differs from the last one recorded, so an
import of unchanged data writes no byte. Anything wrong with the export stops
the import before a file is written.
"""

import argparse
import datetime as dt
import sys
import urllib.parse
from pathlib import Path
from zoneinfo import ZoneInfo

import aiohttp

from wachhund.lib.net import AddressPolicy, UnsafeURL
from wachhund.lib.net.guarded import download as guarded_download
from wachhund.lib.yamlfile import DataError

from wachhund.ozg.regions import COVERAGE, above, counts, is_ars
from wachhund.ozg.schema import load_model
from wachhund.lib.settings import SettingsError, settings_file
from wachhund.ozg.settings import get_settings
from wachhund.ozg.status_store import Import, StatusRow, imports_text, read_store, regions_text, status_files, store_dir
from . import export_formats as formats
from .common import ROOT, SOURCES, write_if_changed
from .wsp import MAPPING_FILE, leika_to_ozg

USER_AGENT = "Wachhund-OZG-Import/1.0 (+Watchdog-Blog zum OZG in Duisburg)"
MAX_BYTES = 1024 * 1024 * 1024  # all of NRW as CSV is a few hundred MB
MAX_PAGES = 10_000
TIMEOUT = 300
MAX_REDIRECTS = 5
# The Open-PVOG export answers `Accept: text/csv` with 406; this is accepted everywhere.
ACCEPT = "text/csv, application/json, application/octet-stream;q=0.9, */*;q=0.1"


def download(url: str, allow_private: bool = False) -> bytes:
    """One answer, through the project's network guard (one DNS answer, checked and
    connected to, on every redirect hop; no proxies; a short body is refused)."""
    _final, body = guarded_download(
        url, AddressPolicy(allow_private=allow_private), {"User-Agent": USER_AGENT, "Accept": ACCEPT},
        MAX_BYTES, TIMEOUT, MAX_REDIRECTS,
    )
    return body


def with_page(url: str, page: int) -> str:
    parts = urllib.parse.urlsplit(url)
    query = [(k, v) for k, v in urllib.parse.parse_qsl(parts.query, keep_blank_values=True) if k != "page"]
    return urllib.parse.urlunsplit(parts._replace(query=urllib.parse.urlencode([*query, ("page", str(page))])))


def fetch_records(url: str, allow_private: bool, warn) -> list:
    """Every record of the export at `url`; the pages of a paged JSON answer are fetched in turn."""
    raw = download(url, allow_private)
    kind = formats.detect(raw)
    if kind == "csv":
        return formats.records(formats.csv_rows(raw, url), url, warn)
    if kind == "xlsx":
        return formats.records(formats.xlsx_rows(raw, url), url, warn)
    content, pages = formats.json_page(raw, url)
    rows = list(formats.json_rows(content, url))
    page = 1
    while pages is not None and page < min(pages, MAX_PAGES):
        page_url = with_page(url, page)
        content, _ = formats.json_page(download(page_url, allow_private), page_url)
        rows.extend(formats.json_rows(content, page_url, first=len(rows) + 1))
        page += 1
    return formats.records(rows, url, warn)


def preference(record):
    """Of several rows for one service key, the one recorded: a counted row before
    others, wider coverage first, then the smallest URL (independent of row order)."""
    counted = counts(record.online_status, record.aktiv, record.art)
    return (not counted, -COVERAGE.get(record.art, -1), record.url, record.online_status, record.aktiv, record.art)


def export_state(records, catalogue, mapping, datum) -> dict:
    """{service key: StatusRow} of the export, one per key."""
    chosen = {}
    for record in records:
        ozg_id = int(record.ozgid) if record.ozgid and int(record.ozgid) in catalogue else mapping.get(record.leika_key)
        row = StatusRow(record.ars, record.leika_key, record.ozgid, ozg_id, datum, True,
                        record.online_status, record.aktiv, record.art, record.url)
        current = chosen.get(row.key)
        if current is None or preference(record) < current[0]:
            chosen[row.key] = (preference(record), row)
    return {key: row for key, (_pref, row) in chosen.items()}


def merge(store, incoming: dict, datum: dt.date) -> tuple[list, int]:
    """The store's rows after this import, and how many service keys changed.

    A key absent from the export, under a regional key the export does contain,
    gets a row saying it is gone. Re-importing on the same day replaces that
    day's rows, so the result depends only on the last import of the day."""
    history = {}
    for row in store.rows:
        history.setdefault(row.key, []).append(row)
    scope = {key[0] for key in incoming}
    changed = 0
    for key in sorted(set(history) | set(incoming)):
        new = incoming.get(key)
        if new is None and key[0] not in scope:
            continue  # a regional key this export does not speak about
        rows = [r for r in history.get(key, []) if r.datum < datum]
        before = rows[-1] if rows else None
        if new is None and before is not None and before.vorhanden:
            new = StatusRow(*key, before.ozg_id, datum, False, "", "", "", "")
        if new is not None and (before is None or before.state() != new.state()):
            rows.append(new)
            changed += 1
        history[key] = rows
    return [row for key in sorted(history) for row in history[key]], changed


def run(data_dir: Path, import_ars: str, url: str, datum: dt.date, allow_private=False,
        sources_dir: Path = SOURCES, warn=None) -> int:
    warn = warn or (lambda message: print(f"warning: {message}", file=sys.stderr))
    model = load_model(data_dir)
    store = read_store(data_dir)
    newest = max((row.datum for row in store.rows), default=None)
    if newest is not None and datum < newest:
        raise ValueError(f"--date {datum} is older than the newest data in the store ({newest})")
    records = fetch_records(url, allow_private, warn)
    if not records:
        raise ValueError(f"{url}: the export holds no rows; nothing imported")
    stray = next((r for r in records if not _within(r.ars, import_ars)), None)
    if stray is not None:
        raise formats.ExportError(f"{url}: {stray.where}: ars {stray.ars} is neither {import_ars} "
                                  "nor a key above or below it (an export of another region?)")
    mapping = {k: v for k, v in leika_to_ozg(sources_dir / MAPPING_FILE).items() if v in model.catalogue}
    incoming = export_state(records, model.catalogue, mapping, datum)
    rows, changed = merge(store, incoming, datum)
    regions = dict(store.regions)
    for record in records:
        if record.ars_name:
            regions[record.ars] = (record.ars_name, record.bundesland)
    # One row per import and day; a second run on one day replaces the first's
    # (its changes are counted against the day before, like the first run's).
    imports = [i for i in store.imports if (i.datum, i.ars) != (datum, import_ars)]
    imports.append(Import(datum, import_ars, url, len(records), changed))
    # Every text is made before the first file is written: a failure above writes nothing.
    base = store_dir(data_dir)
    texts = {base / name: text for name, text in status_files(rows).items()}
    texts[base / "regionen.csv"] = regions_text(regions)
    texts[base / "importe.csv"] = imports_text(imports)
    written = sum(write_if_changed(path, text) for path, text in texts.items())
    print(f"{import_ars}: {len(records)} rows, {len(incoming)} services under {len({k[0] for k in incoming})} "
          f"regional keys; {changed} changed; {written} file(s) written")
    return changed


def _within(ars: str, import_ars: str) -> bool:
    """A row belongs to an import of `import_ars` when its key is that key, lies
    below it, or lies above it (includeAbove)."""
    return ars == import_ars or import_ars in above(ars) or ars in above(import_ars)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ars", required=True, help="12-digit Amtlicher Regionalschlüssel (050000000000: all NRW)")
    parser.add_argument("--url", default=None, help="export URL with {ars} (default: OZG['DASHBOARD_URL'])")
    parser.add_argument("--data-dir", default=None, help="default: OZG['DATA_DIR']")
    parser.add_argument("--date", default=None, help="date of the observation (default: today, Europe/Berlin)")
    parser.add_argument("--allow-private", action="store_true", help="allow loopback/private addresses (tests)")
    args = parser.parse_args(argv)
    if not is_ars(args.ars):
        parser.error("--ars must be 12 digits, e.g. 051120000000 (Duisburg) or 050000000000 (NRW)")
    try:
        ozg = get_settings(settings_file(ROOT / "pelicanconf.py"), ROOT)
    except SettingsError as exc:
        print(exc, file=sys.stderr)
        return 2
    template = args.url or ozg.dashboard_url
    if "{ars}" not in template:
        parser.error("--url must contain {ars}")
    url = template.format(ars=args.ars)
    datum = dt.date.fromisoformat(args.date) if args.date else dt.datetime.now(ZoneInfo("Europe/Berlin")).date()
    try:
        run(Path(args.data_dir) if args.data_dir else ozg.data_dir, args.ars, url, datum, args.allow_private)
    except UnsafeURL as exc:
        print(f"refused {url}: {exc}", file=sys.stderr)
        return 2
    except (OSError, aiohttp.ClientError, ValueError) as exc:
        print(f"update-ozg failed for {url}:\n{exc}\nNothing was written.", file=sys.stderr)
        return 1
    except DataError as exc:
        print(exc, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
