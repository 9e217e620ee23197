"""Fetching the federal dashboard's data: both API generations, paging on 413, a diagnosis.

The Open-PVOG export (2025: `…/dash/open-pvog/{ars}/export?filetype=csv`) wants
`Accept: application/octet-stream` (it answers `text/csv` with 406) and answers
413 when an export is too large (a whole Land): then the paged form
`…/dash/open-pvog/{ars}?page=N&size=100` is read, one request at a time, at most
MAX_RATE a second, each page retried with backoff. The older `/v1/data/{ars}` answers
a whole CSV, or paged JSON (`content`, `totalPages`, pages counted from 0).

Every request goes through the project's network guard (guarded_session, check_hop).
Everything is fetched before anything is parsed into the store: a page that does not
arrive after its retries stops the import with nothing written.
"""

import asyncio
import json
import tempfile
import time
import urllib.parse
from dataclasses import dataclass
from urllib.parse import urljoin

import aiohttp

from wachhund.lib.net import AddressPolicy, UnsafeURL
from wachhund.lib.net.guarded import (REDIRECTS, check_complete, check_hop, guarded_session,
                                      retry_after_seconds)

from .common import printable

USER_AGENT = "Wachhund-OZG-Import/1.0 (+Watchdog-Blog zum OZG in Duisburg)"
MAX_BYTES = 1024 * 1024 * 1024  # all of NRW as CSV is a few hundred MB
MAX_PAGES = 20_000  # all of NRW: about 6,500 pages of 100
PAGE_SIZE = 100
TIMEOUT = 300
MAX_REDIRECTS = 5
MAX_RATE = 5.0  # requests a second, at most
RETRIES = 4  # attempts per page after the first
EXPORT_RETRIES = 1  # the whole export: once more (a truncated 126 MB download is no rare event)
BACKOFF = 1.0  # seconds before the first retry; doubled for each further one
RETRY_AFTER_CAP = 60.0  # a busy server's Retry-After is waited for, up to this many seconds
RETRY_STATUS = frozenset({408, 425, 429, 500, 502, 503, 504})
# The Open-PVOG export refuses text/csv (406); the older API answered any of these.
ACCEPT_EXPORT = "application/octet-stream"
ACCEPT_OTHER = "text/csv, application/json, application/octet-stream;q=0.9, */*;q=0.1"
ACCEPT_PAGES = "application/json"
HEAD_BYTES = 4096
SCOPE = {"darunter": ("true", "true"), "darueber": ("false", "true")}  # includeBelow, includeAbove


@dataclass(frozen=True)
class Answer:
    url: str
    status: int
    content_type: str
    body: bytes  # the whole body, or (with `file`) its first HEAD_BYTES
    file: object = None  # a temporary file holding the whole body of a large answer
    size: int = 0
    retry_after: str | None = None  # a busy server's Retry-After, as sent


class _Redirect(Exception):
    def __init__(self, location: str):
        super().__init__(location)
        self.location = location


class Unusable(ValueError):
    """No data could be read from the answer; the message is the German diagnosis."""


def with_params(url: str, **params) -> str:
    """`url` with these query parameters set (replacing the template's own), in their order."""
    parts = urllib.parse.urlsplit(url)
    query = [(k, v) for k, v in urllib.parse.parse_qsl(parts.query, keep_blank_values=True) if k not in params]
    query += [(k, v) for k, v in params.items() if v is not None]
    return urllib.parse.urlunsplit(parts._replace(query=urllib.parse.urlencode(query)))


def scoped(url: str, umfang: str) -> str:
    """includeBelow/includeAbove set explicitly (the API's default is true for both)."""
    below, above = SCOPE[umfang]
    return with_params(url, includeBelow=below, includeAbove=above)


def is_export(url: str) -> bool:
    return urllib.parse.urlsplit(url).path.rstrip("/").endswith("/export")


def accept_for(url: str) -> str:
    return ACCEPT_EXPORT if is_export(url) else ACCEPT_OTHER


def paged_url(url: str, page: int) -> str:
    """The paged form of an export URL: `…/{ars}/export?filetype=csv` -> `…/{ars}?page=N&size=100`."""
    parts = urllib.parse.urlsplit(url)
    path = parts.path.rstrip("/")
    if path.endswith("/export"):
        path = path[: -len("/export")]
    query = [(k, v) for k, v in urllib.parse.parse_qsl(parts.query, keep_blank_values=True)
             if k not in ("filetype", "page", "size")]
    query += [("page", str(page)), ("size", str(PAGE_SIZE))]
    return urllib.parse.urlunsplit(parts._replace(path=path, query=urllib.parse.urlencode(query)))


def first_bytes(body: bytes, limit: int = 160) -> str:
    if not body:
        return "(keine – leere Antwort)"
    # repr: control characters and line breaks shown as escapes, nothing reaches the terminal raw
    return repr(body[:limit].decode("utf-8", "replace")) + (" …" if len(body) > limit else "")


def diagnosis(answer: Answer, reason: str) -> str:
    """What the author reads when the answer is no data we know, and what to check."""
    return (
        f"Die Antwort ist kein Datenexport des Dashboards Digitale Verwaltung, den Wachhund kennt.\n"
        f"  Adresse:     {printable(answer.url)}\n"
        f"  HTTP-Status: {answer.status}\n"
        f"  Inhaltstyp:  {printable(answer.content_type) or '(nicht angegeben)'}\n"
        f"  Erste Bytes: {first_bytes(answer.body)}\n"
        f"  Befund:      {reason}\n"
        "Zu prüfen: OZG[\"DASHBOARD_URL\"] in pelicanconf.py (oder URL='…{ars}…' beim Aufruf): "
        "stimmen Host und Pfad noch? Liefert die Adresse im Browser eine CSV-Datei? "
        "Hat das Dashboard seine Schnittstelle geändert (README, Abschnitt \"Data and importers\")?"
    )


def status_reason(answer: Answer) -> str:
    reasons = {
        404: "die Adresse gibt es nicht (Pfad oder Regionalschlüssel falsch?)",
        406: "der Server lehnt den verlangten Inhaltstyp (Accept) ab",
        401: "der Server verlangt eine Anmeldung", 403: "der Server verweigert den Zugriff",
    }
    return f"HTTP {answer.status}: " + reasons.get(answer.status, "keine Daten geliefert")


def shape_problem(answer: Answer) -> str | None:
    """Why a 200 answer cannot be an export, judged before parsing; None: try to parse it."""
    head = answer.body[:512].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if not head:
        return "leere Antwort"
    if head.startswith((b"<!doctype", b"<html", b"<?xml", b"<")) or "html" in answer.content_type.lower():
        return "eine HTML-Seite statt Daten (eine Fehler- oder Anmeldeseite?)"
    return None


class Fetcher:
    """One session, one request at a time, at most MAX_RATE a second: the next request leaves
    1/MAX_RATE s after the previous answer was read, so the server, too, never sees two
    requests closer together than that (however late the first one reached it)."""

    def __init__(self, session, policy: AddressPolicy, log):
        self.session, self.policy, self.log = session, policy, log
        self.last_done = -1e9

    async def _pace(self):
        wait = self.last_done + 1 / MAX_RATE - time.monotonic()
        if wait > 0:
            await asyncio.sleep(wait)

    async def get(self, url: str, accept: str, spool: bool = False) -> Answer:
        """One answer of any status, redirects followed (each hop checked), the body read whole;
        with `spool`, a 200 answer's body goes to a temporary file as it arrives (an NRW export
        is 126 MB: it is parsed from there, never held in memory)."""
        current = url
        for _hop in range(MAX_REDIRECTS + 1):
            check_hop(current, self.policy)
            await self._pace()
            headers = {"User-Agent": USER_AGENT, "Accept": accept}
            try:
                return await self._one(current, headers, spool)
            except _Redirect as hop:
                current = hop.location
            finally:
                self.last_done = time.monotonic()
        raise UnsafeURL(f"more than {MAX_REDIRECTS} redirects")

    async def _one(self, current: str, headers: dict, spool: bool) -> Answer:
        async with self.session.get(current, allow_redirects=False, headers=headers) as response:
            if response.status in REDIRECTS and response.headers.get("Location"):
                raise _Redirect(urljoin(current, response.headers["Location"]))
            sink = tempfile.TemporaryFile() if spool and response.status == 200 else None
            try:
                chunks, size, head = [], 0, b""
                async for chunk in response.content.iter_chunked(1 << 20):
                    size += len(chunk)
                    if size > MAX_BYTES:
                        raise ValueError(f"{current}: Antwort größer als {MAX_BYTES} Bytes")
                    if sink is None:
                        chunks.append(chunk)
                    else:
                        sink.write(chunk)
                        head = head if len(head) >= HEAD_BYTES else (head + chunk)[:HEAD_BYTES]
                if response.status == 200:
                    check_complete(response)
            except BaseException:
                if sink is not None:
                    sink.close()
                raise
            if sink is not None:
                sink.seek(0)
            return Answer(current, response.status, response.headers.get("Content-Type", ""),
                          head if sink is not None else b"".join(chunks), sink, size,
                          response.headers.get("Retry-After"))

    async def get_retried(self, url: str, accept: str, what: str, retries: int = RETRIES, spool=False) -> Answer:
        """A page: retried with backoff when the transfer fails or the server is busy (waiting
        at least as long as its Retry-After asks, up to RETRY_AFTER_CAP)."""
        for attempt in range(retries + 1):
            problem, delay = None, BACKOFF * 2 ** attempt
            try:
                answer = await self.get(url, accept, spool)
            except (OSError, aiohttp.ClientError, asyncio.TimeoutError) as exc:
                problem = str(exc) or type(exc).__name__
            else:
                if answer.status not in RETRY_STATUS:
                    return answer
                problem = f"HTTP {answer.status}"
                delay = max(delay, retry_after_seconds(answer.retry_after, RETRY_AFTER_CAP) or 0)
            if attempt == retries:
                raise OSError(f"{what} ({url}) kam nach {retries + 1} Versuch(en) nicht an: {problem}")
            self.log(f"{what}: {problem}; neuer Versuch in {delay:g} s")
            await asyncio.sleep(delay)
        raise AssertionError("unreachable")


@dataclass(frozen=True)
class Page:
    """One page of the paged form, as its answer describes itself."""

    content: list
    total: int | None  # totalPages, when stated
    last: bool | None  # `last`, when stated
    number: int | None  # the page's own number, when stated
    elements: int | None  # totalElements, when stated


def _count(data: dict, *names) -> int | None:
    value = next((data[n] for n in names if n in data), None)
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else None


def json_page(answer: Answer) -> Page:
    """One page of the paged form (a plain list is the whole of it)."""
    try:
        data = json.loads(answer.body.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise Unusable(diagnosis(answer, f"keine vollständige JSON-Seite ({exc})")) from None
    if isinstance(data, list):
        return Page(data, 1, True, None, None)
    if not isinstance(data, dict) or not isinstance(data.get("content"), list):
        raise Unusable(diagnosis(answer, "JSON ohne Liste 'content' (keine Seite der Schnittstelle)"))
    last = data.get("last")
    return Page(data["content"], _count(data, "totalPages", "total_pages"), last if isinstance(last, bool) else None,
                _count(data, "number"), _count(data, "totalElements", "total_elements"))


class PageSpool:
    """The pages of the paged form, kept on disk as they arrive and read back one page at a time:
    all NRW is 6,450 pages, 645,000 records, which as Python dicts would take about 1 GiB."""

    def __init__(self):
        self.file = tempfile.TemporaryFile()
        self.count = 0  # records

    def add(self, body: bytes, records: int) -> None:
        self.file.write(len(body).to_bytes(8, "big"))
        self.file.write(body)
        self.count += records

    def __iter__(self):
        """Every record, a page at a time (each page was checked by json_page as it arrived)."""
        self.file.seek(0)
        while head := self.file.read(8):
            data = json.loads(self.file.read(int.from_bytes(head, "big")).decode("utf-8-sig"))
            yield from data if isinstance(data, list) else data["content"]

    def close(self) -> None:
        self.file.close()

    def __enter__(self):
        return self

    def __exit__(self, *_exc):
        self.close()


async def _read_pages(fetcher: Fetcher, page_url, accept: str, first: Answer | None = None) -> PageSpool:
    """Every record of the paged form; `page_url(n)` is the address of page n, `first` the answer
    to page 0 when it is already in hand. Pages are counted from 0 unless the first answer says
    otherwise (`number: 1` for page 0). The answers are checked against each other, so that no
    export is taken as complete that is not: `last: false` reads on past a `totalPages` that is
    too low, a page that names another number than asked for or repeats the page before stops
    the import, and so does a count of records other than a stated `totalElements`."""
    records = PageSpool()
    try:
        return await _read_into(records, fetcher, page_url, accept, first)
    except BaseException:
        records.close()
        raise


async def _read_into(records: PageSpool, fetcher: Fetcher, page_url, accept: str, first: Answer | None):
    """_read_pages, into `records`."""
    asked, offset, total, elements, previous = 0, None, None, None, None
    while True:
        answer = first if (first is not None and asked == 0) else await fetcher.get_retried(
            page_url(asked), accept, f"Seite {asked - (offset or 0) + 1}")
        if answer.status != 200:
            raise Unusable(diagnosis(answer, status_reason(answer)))
        page = json_page(answer)
        if offset is None:  # the first answer: pages counted from 0, or from 1 if it says so
            offset = 1 if page.number == 1 and asked == 0 else 0
            asked += offset
        if page.number is not None and page.number != asked:
            raise Unusable(diagnosis(answer, f"gefragt war Seite {asked}, die Antwort nennt Seite {page.number} "
                                             "(blättert die Schnittstelle anders als erwartet?)"))
        read = asked - offset + 1  # pages read, this one included
        if page.content and page.content == previous:
            raise Unusable(diagnosis(answer, f"die Antwort auf Seite {read} gleicht der auf Seite {read - 1} "
                                             "(beachtet die Schnittstelle den Parameter page nicht?)"))
        previous = page.content
        records.add(answer.body, len(page.content))
        total = page.total if page.total is not None else total
        elements = page.elements if page.elements is not None else elements
        if page.last is True or not page.content or (total is not None and read >= total and page.last is not False):
            break
        if read >= MAX_PAGES:
            raise Unusable(diagnosis(answer, f"mehr als {MAX_PAGES} Seiten, ohne dass die letzte erreicht ist"))
        asked += 1
    if elements is not None and records.count != elements:
        raise Unusable(diagnosis(answer, f"{records.count} Datensätze gelesen, die Schnittstelle nennt {elements} "
                                         "(totalElements): nicht alle Seiten kamen vollständig an"))
    return records


async def _fetch(url: str, policy: AddressPolicy, log):
    async with guarded_session(policy, TIMEOUT) as session:
        fetcher = Fetcher(session, policy, log)
        answer = await fetcher.get_retried(url, accept_for(url), "Export", EXPORT_RETRIES, spool=True)
        if answer.status == 413:
            log(f"{url}: HTTP 413 (Export zu groß) – lese die seitenweise Form, "
                f"{PAGE_SIZE} Zeilen je Seite, höchstens {MAX_RATE:g} Anfragen pro Sekunde")
            return "pages", await _read_pages(fetcher, lambda page: paged_url(url, page), ACCEPT_PAGES), answer
        if answer.status != 200:
            raise Unusable(diagnosis(answer, status_reason(answer)))
        problem = shape_problem(answer)
        if problem:
            answer.file.close()
            raise Unusable(diagnosis(answer, problem))
        head = answer.body[:64].lstrip(b"\xef\xbb\xbf \t\r\n")
        if head[:1] not in (b"{", b"["):
            return "whole", answer.file, answer
        # /v1/data answers paged JSON itself: the other pages by ?page=N on the same URL.
        with answer.file:
            first = Answer(answer.url, answer.status, answer.content_type, answer.file.read())
        records = await _read_pages(fetcher, lambda page: with_params(url, page=str(page)), accept_for(url), first)
        return "pages", records, answer


def fetch(url: str, allow_private: bool, log) -> tuple:
    """("whole", temporary file, Answer) for a whole export (CSV or XLSX), or ("pages", PageSpool, Answer)
    for JSON read page by page. Unusable (German diagnosis), OSError, UnsafeURL otherwise."""
    try:
        return asyncio.run(_fetch(url, AddressPolicy(allow_private=allow_private), log))
    except asyncio.TimeoutError:
        raise OSError(f"no complete answer within {TIMEOUT:g} s") from None


async def _json(url: str, policy: AddressPolicy):
    async with guarded_session(policy, TIMEOUT) as session:
        answer = await Fetcher(session, policy, lambda _message: None).get_retried(url, ACCEPT_PAGES, "Liste", 1)
        if answer.status != 200:
            raise Unusable(diagnosis(answer, status_reason(answer)))
        try:
            return json.loads(answer.body.decode("utf-8-sig"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise Unusable(diagnosis(answer, f"kein JSON ({exc})")) from None


def fetch_json(url: str, allow_private: bool):
    """One small JSON answer (the list of regional keys), through the guard."""
    try:
        return asyncio.run(_json(url, AddressPolicy(allow_private=allow_private)))
    except asyncio.TimeoutError:
        raise OSError(f"no complete answer within {TIMEOUT:g} s") from None
