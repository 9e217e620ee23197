"""`make update-opendata [PORTAL=…] [URL='…']`: import open-data catalogues into data/offene-daten/.

Reads each portal of OPENDATA['PORTALE'] (or the one named): a DCAT-US 1.1 data.json, or
a CKAN portal's package_search for one organisation, paged with rows/start and sorted
by name so pages cannot shift during the import. Only changes are stored (see
wachhund.opendata.store). Anything wrong with an answer stops that portal's import
before a file is written; an import that would remove more than half of a portal's
datasets is held back unless --annehmen.
"""

import argparse
import datetime as dt
import sys
import urllib.parse
from pathlib import Path
from zoneinfo import ZoneInfo

import aiohttp

from wachhund.lib.files import shown_path
from wachhund.lib.net import AddressPolicy, UnsafeURL
from wachhund.lib.net.guarded import download as guarded_download
from wachhund.lib.settings import SettingsError, settings_file
from wachhund.lib.yamlfile import DataError
from wachhund.opendata import catalog
from wachhund.opendata.settings import Portal, get_settings
from wachhund.opendata.store import (Import, counted, event_path, events_text, import_path, imports_text, merge,
                                     read_events, read_imports, state_on)

from .importers.common import write_if_changed

USER_AGENT = "Wachhund-Open-Data-Import/1.0 (+Watchdog-Blog zum OZG in Duisburg)"
ACCEPT = "application/json, */*;q=0.1"
MAX_BYTES = 256 * 1024 * 1024
TIMEOUT = 120
MAX_PAGES = 10_000
HELD_BACK = 3  # exit code: nothing written, the author decides (--annehmen)


class HeldBack(Exception):
    pass


def download(url: str, allow_private: bool) -> bytes:
    """One complete answer through the project's network guard."""
    _final, body = guarded_download(url, AddressPolicy(allow_private=allow_private),
                                    {"User-Agent": USER_AGENT, "Accept": ACCEPT}, MAX_BYTES, TIMEOUT)
    return body


def _checked_shape(doc, url: str, portal: Portal) -> None:
    shape = catalog.detect(doc)
    if shape is None:
        raise catalog.CatalogError(f"{url}: neither a DCAT-US data.json (no 'dataset' list) nor a CKAN "
                                   "package_search answer (no 'result.results')")
    if shape != portal.kind:
        raise catalog.CatalogError(f"{url}: the answer is {shape}, but portal {portal.slug!r} is configured as "
                                   f"{portal.kind} (OPENDATA['PORTALE'][{portal.slug!r}]['art'])")


def search_url(base: str, organisation: str, rows: int, start: int) -> str:
    query = urllib.parse.urlencode({"fq": f"organization:{organisation}", "rows": rows, "start": start,
                                    "sort": "name asc"})
    return f"{base.rstrip('/')}/api/3/action/package_search?{query}"


def fetch(portal: Portal, url: str, allow_private: bool, warn) -> list[catalog.Dataset]:
    if portal.kind == catalog.DCAT_US:
        doc = catalog.load_json(download(url, allow_private), url, "dataset")
        _checked_shape(doc, url, portal)
        return catalog.dcat_datasets(doc, url, warn)
    datasets, announced, start = [], None, 0
    for _page in range(MAX_PAGES):
        page_url = search_url(url, portal.organisation, portal.rows, start)
        doc = catalog.load_json(download(page_url, allow_private), page_url, "results")
        _checked_shape(doc, page_url, portal)
        count, page = catalog.ckan_page(doc, page_url, start + 1, url, warn)
        if announced is not None and count != announced:
            raise catalog.CatalogError(f"{page_url}: the count changed during the import ({announced} -> {count}); "
                                       "try again later")
        announced = count
        datasets.extend(page)
        start += len(page)
        if not page or start >= count:
            break
    if len(datasets) != announced:
        raise catalog.CatalogError(f"{url}: the portal announced {announced} datasets (result.count) but "
                                   f"{len(datasets)} arrived; nothing written")
    return datasets


def by_id(datasets: list[catalog.Dataset], url: str) -> dict:
    seen, out = {}, {}
    for number, dataset in enumerate(datasets, start=1):
        if dataset.id in seen:
            raise catalog.CatalogError(f"{url}: record {number}: identifier {dataset.id!r} appears twice "
                                       f"(first as record {seen[dataset.id]})")
        seen[dataset.id] = number
        out[dataset.id] = dataset
    return out


def run(data_dir: Path, portal: Portal, url: str, datum: dt.date, allow_private=False, accept=False,
        warn=None, root: Path | None = None, write=True) -> dict:
    warn = warn or (lambda message: print(f"warning: {message}", file=sys.stderr))
    root = root or Path.cwd()
    events_file, imports_file = event_path(data_dir, portal.slug), import_path(data_dir, portal.slug)
    events = read_events(events_file, shown_path(events_file, root))
    imports = read_imports(imports_file, shown_path(imports_file, root))
    if imports and datum < imports[-1].datum:
        raise ValueError(f"--date {datum} is older than the portal's last import ({imports[-1].datum})")
    incoming = by_id(fetch(portal, url, allow_private, warn), url)
    if not incoming:
        raise catalog.CatalogError(f"{url}: the catalogue lists no dataset; nothing imported")
    before = state_on([e for e in events if e.datum < datum])
    merged = merge(events, incoming, datum)
    added, updated, removed = counted(merged, datum)
    if removed * 2 > len(before) and not accept:
        raise HeldBack(f"{portal.slug}: this import would remove {removed} of {len(before)} datasets; held back, "
                       "nothing written. Check the portal; if it is right: make update-opendata "
                       f"PORTAL={portal.slug} ARGS=--annehmen")
    imports = [i for i in imports if i.datum != datum] + [Import(datum, url, len(incoming), added, updated, removed)]
    # Both texts are made before the first file is written.
    texts = {events_file: events_text(merged), imports_file: imports_text(imports)}
    if write:
        written = sum(write_if_changed(path, text) for path, text in texts.items())
    else:  # --pruefen
        written = 0
        print(f"{portal.slug}: --pruefen, nothing written")
    print(f"{portal.slug}: {len(incoming)} datasets; {added} new, {updated} updated, {removed} removed; "
          f"{written} file(s) written")
    return {"datasets": len(incoming), "added": added, "updated": updated, "removed": removed, "written": written}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--portal", default=None, help="one portal of OPENDATA['PORTALE'] (default: all)")
    parser.add_argument("--url", default=None, help="another address for that portal (with --portal, or one portal)")
    parser.add_argument("--data-dir", default=None, help="default: OPENDATA['DATA_DIR']")
    parser.add_argument("--date", default=None, help="date of the import (default: today, Europe/Berlin)")
    parser.add_argument("--allow-private", action="store_true", help="allow loopback/private addresses (tests)")
    parser.add_argument("--annehmen", action="store_true",
                        help="accept an import that removes more than half of a portal's datasets")
    parser.add_argument("--pruefen", action="store_true", help="fetch and check, report what would change, write nothing")
    args = parser.parse_args(argv)
    root = Path.cwd()
    try:
        settings = get_settings(settings_file(root / "pelicanconf.py"), root)
    except SettingsError as exc:
        print(exc, file=sys.stderr)
        return 2
    portals = settings.portals
    if args.portal is not None:
        if args.portal not in portals:
            parser.error(f"unknown portal {args.portal!r}; known: {', '.join(portals)}")
        portals = {args.portal: portals[args.portal]}
    if args.url and len(portals) != 1:
        parser.error("--url needs --portal (PORTAL=…): which portal does the address belong to?")
    try:
        datum = dt.date.fromisoformat(args.date) if args.date else dt.datetime.now(ZoneInfo("Europe/Berlin")).date()
    except ValueError:
        parser.error(f"--date must be a day YYYY-MM-DD, got {args.date!r}")
    data_dir = Path(args.data_dir) if args.data_dir else settings.data_dir
    status = 0
    for portal in portals.values():  # each portal on its own: one failure keeps the others
        url = args.url or portal.url
        try:
            run(data_dir, portal, url, datum, args.allow_private, args.annehmen, root=root, write=not args.pruefen)
        except UnsafeURL as exc:
            print(f"refused {url}: {exc}", file=sys.stderr)
            status = max(status, 2)
        except HeldBack as exc:
            print(exc, file=sys.stderr)
            status = max(status, HELD_BACK)
        except (OSError, aiohttp.ClientError, ValueError) as exc:
            print(f"update-opendata failed for {portal.slug} ({url}):\n{exc}\nNothing was written.", file=sys.stderr)
            status = max(status, 1)
        except DataError as exc:
            print(exc, file=sys.stderr)
            status = max(status, 1)
    return status


if __name__ == "__main__":
    sys.exit(main())
