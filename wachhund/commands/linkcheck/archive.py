"""Snapshots of cited pages in the Wayback Machine (`make linkcheck ARGS=--archive`).

Uses Save Page Now's legacy interface: ``GET {archive-url}/save/{url}``, answered
by a redirect or a ``Content-Location`` naming ``/web/{14-digit timestamp}/{url}``.
One request at a time, at most ``rate`` per minute (the service throttles and
bans eager clients); a 429 waits for ``Retry-After`` (capped) and tries once
more. Every snapshot is saved to the state file at once, so a run that is
stopped continues where it left off. All requests go through the network guard.
"""

import asyncio
import datetime as dt
import re
import time
from urllib.parse import quote, urljoin

from wachhund.lib.net import is_http_url
from wachhund.lib.net.guarded import check_hop, retry_after_seconds

from .fetch import USER_AGENT, classify

SNAPSHOT = re.compile(r"/web/(\d{14})(?:[a-z_]*)/")


def snapshot_from(base: str, location: str | None) -> dict | None:
    """{"archive_url", "archived_at"} from an answer's Location/Content-Location, else None."""
    if not location:
        return None
    absolute = urljoin(base.rstrip("/") + "/", location)
    match = SNAPSHOT.search(absolute)
    if not match or not is_http_url(absolute):
        return None
    try:
        moment = dt.datetime.strptime(match.group(1), "%Y%m%d%H%M%S")
    except ValueError:
        return None
    return {"archive_url": absolute, "archived_at": moment.strftime("%Y-%m-%dT%H:%M:%S")}


async def save_page(session, base: str, url: str, policy, retry_after_cap: float) -> dict | None:
    target = f"{base.rstrip('/')}/save/{quote(url, safe=':/?&=%#')}"
    for attempt in range(2):
        check_hop(target, policy)
        async with session.get(target, allow_redirects=False, headers={"User-Agent": USER_AGENT}) as response:
            if response.status == 429 and attempt == 0:
                delay = retry_after_seconds(response.headers.get("Retry-After"), retry_after_cap)
                await asyncio.sleep(retry_after_cap if delay is None else delay)
                continue
            if response.status >= 400:
                return None
            return snapshot_from(base, response.headers.get("Content-Location") or response.headers.get("Location"))
    return None


async def archive_all(session, urls, base: str, policy, per_minute: float, retry_after_cap: float, on_snapshot, log):
    """Ask for a snapshot of each URL in turn, at most `per_minute` requests a minute."""
    interval = 60.0 / per_minute
    next_start = time.monotonic()
    for number, url in enumerate(urls, start=1):
        wait = next_start - time.monotonic()
        if wait > 0:
            await asyncio.sleep(wait)
        try:
            snapshot = await save_page(session, base, url, policy, retry_after_cap)
        except Exception as exc:  # noqa: BLE001 - one failed snapshot must not stop the others
            log(f"  Archivierung fehlgeschlagen für {url}: {classify(exc)}")
            continue
        finally:
            # Counted from the end of the last request (a 429's retry included).
            next_start = time.monotonic() + interval
        if snapshot is None:
            log(f"  Archivierung fehlgeschlagen für {url}: keine Snapshot-Adresse in der Antwort")
            continue
        on_snapshot(url, snapshot)
        log(f"  archiviert ({number}/{len(urls)}): {url}")
