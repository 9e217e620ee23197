"""`make update-ozg ARS=…`: merge the federal dashboard export into data/ozg/kommunen/.

Downloads the CSV export of the "Dashboard Digitale Verwaltung" for one
Amtlicher Regionalschlüssel (base URL from OZG['DASHBOARD_URL'] or --url),
and appends an observation only where the status of a service differs from
the latest one recorded from the dashboard. Running it twice on the same data
adds nothing.
"""

import argparse
import csv
import datetime as dt
import io
import sys
from pathlib import Path
from zoneinfo import ZoneInfo

import aiohttp

from wachhund_net import AddressPolicy, UnsafeURL, is_http_url
from wachhund_net.guarded import download as guarded_download
from wachhund_yaml import DataError, load_file

from ..schema import load_model
from ..settings import DEFAULTS
from .common import OZG, append_observations, latest_by_key, status_fields

USER_AGENT = "Wachhund-OZG-Import/1.0 (+Watchdog-Blog zum OZG in Duisburg)"
MAX_BYTES = 50 * 1024 * 1024
TIMEOUT = 60
MAX_REDIRECTS = 5
REQUIRED_COLUMNS = {"leika_key", "ozgid", "online_status"}


def download(url: str, allow_private: bool = False) -> bytes:
    """The whole export, through the project's network guard (one DNS answer,
    checked and connected to, on every redirect hop; no proxies)."""
    _final, body = guarded_download(
        url, AddressPolicy(allow_private=allow_private), {"User-Agent": USER_AGENT, "Accept": "text/csv"},
        MAX_BYTES, TIMEOUT, MAX_REDIRECTS,
    )
    return body


def parse_csv(raw: bytes, source: str) -> list[dict]:
    text = raw.decode("utf-8-sig")
    sample = text[:4096]
    delimiter = ";" if sample.count(";") > sample.count(",") else ","
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    columns = set(reader.fieldnames or [])
    if not REQUIRED_COLUMNS <= columns:
        raise ValueError(
            f"{source}: not a dashboard export; expected columns {', '.join(sorted(REQUIRED_COLUMNS))}, "
            f"got {', '.join(sorted(columns)) or 'none'}"
        )
    return list(reader)


def observations_from(rows, catalogue, source_url, datum) -> list[dict]:
    by_key = {}
    for row in rows:
        get = lambda k: (row.get(k) or "").strip()  # noqa: E731
        leika = get("leika_key")
        leika = leika if leika.isdigit() and len(leika) == 14 else None
        ozg_id = int(get("ozgid")) if get("ozgid").isdigit() else None
        name = get("leika_bezeichnung") or get("leika_name") or get("ozg_bezeichnung")
        obs = {}
        note = []
        if ozg_id is not None and ozg_id not in catalogue:
            note.append(f"OZG-ID {ozg_id} ({get('ozg_bezeichnung')}) ist nicht im Katalog von 2019.")
            ozg_id = None
        if ozg_id is None and (leika is None or not name):
            continue  # nothing we could show this under
        if ozg_id is not None:
            obs["ozg_id"] = ozg_id
        if leika:
            obs["leika"] = leika
        if name:
            obs["leika_name"] = name
        obs["datum"] = datum
        obs["online"] = get("online_status").lower() == "ok" and get("aktiv").lower() != "nein"
        url = get("url")
        if is_http_url(url):
            obs["url"] = url
        obs["quelle"] = source_url
        if get("art_flaechendeckung"):
            obs["flaechendeckung"] = get("art_flaechendeckung")
        if note:
            obs["notiz"] = " ".join(note)
        by_key[(obs.get("ozg_id"), obs.get("leika"))] = obs
    return [by_key[k] for k in sorted(by_key, key=lambda k: (k[0] or 0, k[1] or ""))]


def find_kommune_file(ozg_dir: Path, ars: str) -> Path:
    for path in sorted((ozg_dir / "kommunen").glob("*.yaml")):
        data = load_file(path)
        if isinstance(data, dict) and data.get("ars") == ars:
            return path
    raise SystemExit(
        f"No municipality with ARS {ars} in {ozg_dir / 'kommunen'}; create <slug>.yaml with ars: \"{ars}\" first."
    )


def merge(ozg_dir: Path, ars: str, raw: bytes, source_url: str, datum: dt.date) -> int:
    model = load_model(ozg_dir)
    path = find_kommune_file(ozg_dir, ars)
    kommune = model.kommunen[path.stem]
    incoming = observations_from(parse_csv(raw, source_url), model.catalogue, source_url, datum)
    prefix = source_url.split("?", 1)[0]
    known = latest_by_key(kommune.observations, prefix)
    new = [
        obs for obs in incoming
        if (obs.get("ozg_id"), obs.get("leika")) not in known
        or status_fields(known[(obs.get("ozg_id"), obs.get("leika"))]) != status_fields(obs)
    ]
    added = append_observations(path, {}, new)
    load_model(ozg_dir)  # the file we wrote must still validate
    print(f"{path.name}: {len(incoming)} services in the export, {added} new observation(s)")
    return added


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ars", required=True, help="12-digit Amtlicher Regionalschlüssel")
    parser.add_argument("--url", default=None, help="export URL with {ars} (default: OZG['DASHBOARD_URL'])")
    parser.add_argument("--data-dir", default=str(OZG))
    parser.add_argument("--date", default=None, help="date of the observation (default: today, Europe/Berlin)")
    parser.add_argument("--allow-private", action="store_true", help="allow loopback/private addresses (tests)")
    args = parser.parse_args(argv)
    if not (args.ars.isdigit() and len(args.ars) == 12):
        parser.error("--ars must be 12 digits, e.g. 051120000000")
    template = args.url or _configured_url()
    url = template.format(ars=args.ars)
    datum = dt.date.fromisoformat(args.date) if args.date else dt.datetime.now(ZoneInfo("Europe/Berlin")).date()
    try:
        raw = download(url, args.allow_private)
        merge(Path(args.data_dir), args.ars, raw, url, datum)
    except UnsafeURL as exc:
        print(f"refused {url}: {exc}", file=sys.stderr)
        return 2
    except (OSError, aiohttp.ClientError, ValueError) as exc:
        print(f"update-ozg failed for {url}: {exc}", file=sys.stderr)
        return 1
    except DataError as exc:
        print(exc, file=sys.stderr)
        return 1
    return 0


def _configured_url() -> str:
    try:
        sys.path.insert(0, str(OZG.parent.parent))
        import pelicanconf  # noqa: PLC0415

        return (getattr(pelicanconf, "OZG", {}) or {}).get("DASHBOARD_URL", DEFAULTS["DASHBOARD_URL"])
    except ImportError:
        return DEFAULTS["DASHBOARD_URL"]


if __name__ == "__main__":
    sys.exit(main())
