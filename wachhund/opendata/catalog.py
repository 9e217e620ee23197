"""The two catalogue shapes, read into one record per dataset.

DCAT-US 1.1 (`data.json`, e.g. DKAN): {"conformsTo": …, "dataset": [{identifier, title,
issued, modified, theme, keyword, publisher.name, landingPage, distribution[…]}]}.
CKAN `package_search`: {"success": true, "result": {"count": N, "results": [{id, name,
title, metadata_created, metadata_modified, resources[].format, groups, tags,
organization}]}}, paged with rows/start.

The shape is detected from the answer, never from the URL. A record that cannot be
read stops the import with its number (`record 17`, counted from 1 over the whole
catalogue), so nothing half-read is ever stored.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from urllib.parse import quote

from wachhund.lib.net import is_http_url
from wachhund.lib.yamlfile import clean_text, replaced

DCAT_US, CKAN = "dcat-us", "ckan"
# ISO 8601 repeating interval ("R/P1D", "R/P1Y", "R/PT1H", "R/2014-01-01/P1M"): a declared
# update frequency, not a date; DCAT-US allows it in `modified`.
REPEATING = re.compile(r"^R\d*/(?:[0-9T:.+Z-]+/)?P(?:\d+[YMWD])*(?:T(?:\d+[HMS])+)?$")
MEDIA_FORMATS = {  # mediaType -> format, where a distribution gives no `format`
    "application/pdf": "PDF", "text/csv": "CSV", "application/json": "JSON", "application/geo+json": "GEOJSON",
    "application/vnd.geo+json": "GEOJSON", "application/xml": "XML", "text/xml": "XML", "text/html": "HTML",
    "application/zip": "ZIP", "application/vnd.ms-excel": "XLS",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "XLSX",
    "application/vnd.google-earth.kml+xml": "KML", "application/rdf+xml": "RDF", "text/plain": "TXT",
}
UNKNOWN_FORMAT = "unbekannt"


class CatalogError(ValueError):
    """The answer cannot be read as a catalogue; str() names the URL and the record."""


@dataclass(frozen=True)
class Dataset:
    id: str
    title: str  # plain text as the portal wrote it (HTML in a title stays text)
    link: str  # the dataset's page (landingPage / CKAN /dataset/<name>); "" if none is http(s)
    issued: str  # YYYY-MM-DD or ""
    modified: str  # YYYY-MM-DD or "" (a repeating interval goes to `frequency`)
    frequency: str  # e.g. "R/P1D", or ""
    themes: tuple  # DCAT-US theme / CKAN groups
    keywords: tuple  # DCAT-US keyword / CKAN tags
    formats: tuple  # sorted, unique, upper case; "unbekannt" for a distribution without any
    distributions: int
    downloads: int  # distributions with a downloadURL (the rest only link to an access page)
    publisher: str

    def fields(self) -> dict:
        """What the store keeps of a dataset (and compares between imports)."""
        return {"titel": self.title, "link": self.link, "veroeffentlicht": self.issued, "geaendert": self.modified,
                "frequenz": self.frequency, "themen": list(self.themes), "schlagworte": list(self.keywords),
                "formate": list(self.formats), "verteilungen": self.distributions, "downloads": self.downloads,
                "herausgeber": self.publisher}


def detect(doc) -> str | None:
    if isinstance(doc, dict) and isinstance(doc.get("dataset"), list):
        return DCAT_US
    if isinstance(doc, dict) and isinstance(doc.get("result"), dict) and "results" in doc["result"]:
        return CKAN
    return None


def load_json(raw: bytes, url: str, array_key: str):
    """The parsed answer; a truncated or malformed one names the first record it cannot read."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CatalogError(f"{url}: the answer is not UTF-8 (byte {exc.start})") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        record = broken_record(text, array_key)
        where = f"record {record}: " if record else ""
        raise CatalogError(f"{url}: {where}malformed or truncated JSON ({exc.msg}, line {exc.lineno} "
                           f"column {exc.colno})") from None
    except RecursionError:
        raise CatalogError(f"{url}: JSON nested far too deep") from None


def broken_record(text: str, array_key: str) -> int | None:
    """Number (from 1) of the first element of the `array_key` list that does not parse."""
    start = text.find(f'"{array_key}"')
    start = text.find("[", start) if start >= 0 else -1
    if start < 0:
        return None
    decoder, position, number = json.JSONDecoder(), start + 1, 0
    while True:
        while position < len(text) and text[position] in " \t\r\n,":
            position += 1
        if position < len(text) and text[position] == "]":
            return None
        number += 1
        try:
            _value, position = decoder.raw_decode(text, position)
        except (json.JSONDecodeError, RecursionError):
            return number


class _Record:
    """Reads one record's fields; every problem names the record."""

    def __init__(self, url, number, raw, warn):
        if not isinstance(raw, dict):
            raise CatalogError(f"{url}: record {number}: expected an object, got {type(raw).__name__}")
        self.url, self.number, self.raw, self.warn = url, number, raw, warn

    def fail(self, message):
        raise CatalogError(f"{self.url}: record {self.number}: {message}")

    def text(self, key, required=False) -> str:
        value = self.raw.get(key)
        if value is None or value == "":
            if required:
                self.fail(f"{key} is missing")
            return ""
        if not isinstance(value, str):
            self.fail(f"{key} must be text, got {type(value).__name__}")
        return self.clean(key, value.strip())

    def clean(self, key, value: str) -> str:
        if what := replaced(value):
            self.warn(f"{self.url}: record {self.number}: {key}: {what}")
        return " ".join(clean_text(value).split())

    def strings(self, key, field=None) -> tuple:
        """A list of strings, or (CKAN) of objects whose `field` is the string."""
        value = self.raw.get(key)
        if value is None:
            return ()
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list):
            self.fail(f"{key} must be a list, got {type(value).__name__}")
        out = set()
        for item in value:
            if field and isinstance(item, dict):
                item = next((item[f] for f in field if isinstance(item.get(f), str) and item[f].strip()), None)
            if not isinstance(item, str):
                self.fail(f"{key} must hold text{' or objects with ' + field[0] if field else ''}")
            if item.strip():
                out.add(self.clean(key, item.strip()))
        return tuple(sorted(out))

    def link(self, value: str) -> str:
        if value and not is_http_url(value):
            self.warn(f"{self.url}: record {self.number}: link {value[:80]!r} is not an http(s) URL; left out")
            return ""
        return value


def parse_day(value: str) -> str | None:
    """A date or datetime as its day (YYYY-MM-DD), None if it is neither."""
    try:
        if len(value) == 10:
            return dt.date.fromisoformat(value).isoformat()
        return dt.datetime.fromisoformat(value.replace("Z", "+00:00")).date().isoformat()
    except ValueError:
        return None


def _date_or_frequency(record: _Record, key: str) -> tuple[str, str]:
    value = record.text(key)
    if not value:
        return "", ""
    if REPEATING.match(value):
        return "", value
    day = parse_day(value)
    if day is None:
        record.fail(f"{key} {value[:40]!r} is neither a date, a datetime nor a repeating interval like R/P1D")
    return day, ""


def _format_of(record: _Record, distribution) -> tuple[str, bool]:
    if not isinstance(distribution, dict):
        record.fail("distribution must be a list of objects")
    for key in ("format", "mediaType", "downloadURL", "accessURL"):
        if distribution.get(key) is not None and not isinstance(distribution[key], str):
            record.fail(f"distribution {key} must be text")
    name = (distribution.get("format") or "").strip()
    media = (distribution.get("mediaType") or "").strip().lower()
    if not name and media:
        name = MEDIA_FORMATS.get(media, media.rsplit("/", 1)[-1])
    name = record.clean("format", name).upper() if name else UNKNOWN_FORMAT
    return name, bool((distribution.get("downloadURL") or "").strip())


def dcat_datasets(doc: dict, url: str, warn) -> list[Dataset]:
    out = []
    for number, raw in enumerate(doc["dataset"], start=1):
        record = _Record(url, number, raw, warn)
        modified, frequency = _date_or_frequency(record, "modified")
        issued, _ = _date_or_frequency(record, "issued")
        periodicity = record.text("accrualPeriodicity")
        if not frequency and REPEATING.match(periodicity):
            frequency = periodicity
        distributions = raw.get("distribution") or []
        if not isinstance(distributions, list):
            record.fail("distribution must be a list")
        formats = [_format_of(record, d) for d in distributions]
        publisher = raw.get("publisher")
        publisher = record.clean("publisher", publisher["name"].strip()) if isinstance(publisher, dict) and \
            isinstance(publisher.get("name"), str) else ""
        out.append(Dataset(
            id=record.text("identifier", required=True), title=record.text("title", required=True),
            link=record.link(record.text("landingPage")), issued=issued, modified=modified, frequency=frequency,
            themes=record.strings("theme"), keywords=record.strings("keyword"),
            formats=tuple(sorted({name for name, _ in formats})), distributions=len(formats),
            downloads=sum(1 for _, download in formats if download), publisher=publisher))
    return out


def ckan_page(doc: dict, url: str, first: int, portal_url: str, warn) -> tuple[int, list[Dataset]]:
    """(announced count, datasets) of one package_search page; `first` numbers its first record."""
    if doc.get("success") is False:
        raise CatalogError(f"{url}: the portal reports an error: {str(doc.get('error'))[:200]}")
    result = doc["result"]
    count, results = result.get("count"), result.get("results")
    if isinstance(count, bool) or not isinstance(count, int) or count < 0:
        raise CatalogError(f"{url}: result.count must be a whole number, got {count!r}")
    if not isinstance(results, list):
        raise CatalogError(f"{url}: result.results must be a list")
    out = []
    base = portal_url.rstrip("/")
    for number, raw in enumerate(results, start=first):
        record = _Record(url, number, raw, warn)
        name = record.text("name", required=True)
        resources = raw.get("resources") or []
        if not isinstance(resources, list):
            record.fail("resources must be a list")
        formats = []
        for resource in resources:
            if not isinstance(resource, dict) or not isinstance(resource.get("format") or "", str):
                record.fail("resources must be objects with a text format")
            formats.append((record.clean("format", resource["format"].strip()).upper()
                            if (resource.get("format") or "").strip() else UNKNOWN_FORMAT))
        declared = raw.get("num_resources", len(resources))
        if declared != len(resources):
            record.fail(f"num_resources is {declared!r} but {len(resources)} resources are listed")
        organization = raw.get("organization")
        publisher = organization.get("title") or organization.get("name") or "" if isinstance(organization, dict) else ""
        modified, _ = _date_or_frequency(record, "metadata_modified")
        issued, _ = _date_or_frequency(record, "metadata_created")
        out.append(Dataset(
            id=record.text("id", required=True), title=record.text("title") or name,
            link=record.link(f"{base}/dataset/{quote(name, safe='')}"), issued=issued, modified=modified, frequency="",
            themes=record.strings("groups", ("title", "display_name", "name")),
            keywords=record.strings("tags", ("display_name", "name")),
            formats=tuple(sorted(set(formats))), distributions=len(formats),
            downloads=sum(1 for r in resources if isinstance(r.get("url"), str) and r["url"].strip()),
            publisher=record.clean("organization", publisher.strip()) if isinstance(publisher, str) else ""))
    return count, out
