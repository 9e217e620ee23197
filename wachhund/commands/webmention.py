"""`make webmention`: tell the pages the published posts cite that they are cited.

    python -m wachhund.commands.webmention [--root DIR] [--allow-private] [--allow-host HOST]

Run after `make deploy`: a receiver fetches the post to check that it links the target.
The posts are read from content/ without Pelican (wachhund.webmention.posts), endpoints
discovered as the W3C Recommendation says (discovery), every request through the network
guard, and data/webmentions.jsonl records what was sent (state). Exit code: 0 when
everything due was settled, 1 when some attempts will be retried, 2 for bad settings or
a broken state file.
"""

import argparse
import asyncio
import datetime as dt
import sys
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import aiohttp

from wachhund.lib.errors import ContentError
from wachhund.lib.net import AddressPolicy, UnsafeURL, is_http_url
from wachhund.lib.net.guarded import REDIRECTS, check_hop, guarded_session
from wachhund.lib.settings import SettingsError, cutoff_day, settings_file
from wachhund.lib.yamlfile import DataError
from wachhund.webmention.discovery import discover, is_html
from wachhund.webmention.posts import published_posts
from wachhund.webmention.state import load_state, plan, record_result, save_state

from .headers import HeaderError, check_siteurl
from .linkcheck.collect import markdown_links

STATE_FILE = "data/webmentions.jsonl"
USER_AGENT = "Wachhund-Webmention/1.0 (Watchdog-Blog zum OZG in Duisburg)"
MAX_PAGE_BYTES = 1024 * 1024  # enough for any <head>; the rest of a huge page is not read
MAX_REDIRECTS = 10
RETRY_STATUS = {429} | set(range(500, 600))


class _Failed(Exception):
    def __init__(self, message, status=None):
        super().__init__(message)
        self.status = status


class Retry(_Failed):
    """A failure worth another try on the next run (5xx, 429, network)."""


class Final(_Failed):
    """The target page cannot be mentioned for now (4xx, too many redirects)."""


def parse_args(argv):
    parser = argparse.ArgumentParser(prog="make webmention", description="Send Webmentions for published posts.")
    parser.add_argument("--root", default=".", help="project folder")
    parser.add_argument("--allow-private", action="store_true", help="allow loopback/private addresses (tests)")
    parser.add_argument("--allow-host", action="append", default=[], help="allow this one non-public host (tests)")
    parser.add_argument("--timeout", type=float, default=20.0, help="seconds per request")
    args = parser.parse_args(argv)
    args.policy = AddressPolicy(args.allow_private, frozenset(args.allow_host))
    return args


def public_siteurl(settings: dict) -> str:
    """publishconf.py's SITEURL: receivers fetch the source, so it must be the live https address."""
    siteurl = settings.get("SITEURL")
    try:
        siteurl = check_siteurl(siteurl)
    except HeaderError as exc:
        raise SettingsError(f"publishconf.py: {exc}") from None
    if urlsplit(siteurl).scheme != "https":
        raise SettingsError(f"publishconf.py: SITEURL {siteurl!r} must be the public https address "
                            "(e.g. https://wachhund.example.org): receivers fetch the post from there")
    return siteurl


async def fetch_page(session, url, policy):
    """(final URL, Link headers, content type, HTML text) of the target, redirects followed."""
    current = url
    for _hop in range(MAX_REDIRECTS + 1):
        check_hop(current, policy)
        headers = {"User-Agent": USER_AGENT, "Accept": "text/html, application/xhtml+xml;q=0.9, */*;q=0.1"}
        async with session.get(current, allow_redirects=False, headers=headers) as response:
            if response.status in REDIRECTS and response.headers.get("Location"):
                current = urljoin(current, response.headers["Location"])
                continue
            if response.status in RETRY_STATUS:
                raise Retry(f"HTTP {response.status} from {current}", response.status)
            if not 200 <= response.status < 300:
                raise Final(f"HTTP {response.status} from {current}", response.status)
            content_type = response.headers.get("Content-Type")
            body = b""
            if is_html(content_type):
                async for chunk in response.content.iter_chunked(64 * 1024):
                    body += chunk
                    if len(body) >= MAX_PAGE_BYTES:
                        break
            try:
                text = body.decode(response.charset or "utf-8", errors="replace")
            except LookupError:  # a charset Python does not know
                text = body.decode("utf-8", errors="replace")
            return current, response.headers.getall("Link", []), content_type, text
    raise Final(f"more than {MAX_REDIRECTS} redirects")


async def post_mention(session, endpoint, source, target, policy) -> int:
    """POST source and target, form-encoded; a query in the endpoint stays in its URL."""
    check_hop(endpoint, policy)
    async with session.post(endpoint, data={"source": source, "target": target}, allow_redirects=False,
                            headers={"User-Agent": USER_AGENT}) as response:
        return response.status


async def run(jobs, state, args, save, now):
    endpoints = {}  # target -> endpoint or the exception discovery ended with (once per run)
    failed = 0
    async with guarded_session(args.policy, args.timeout) as session:
        for job in jobs:
            endpoint = status = error = None
            try:
                if job.target not in endpoints:
                    try:
                        final, links, content_type, text = await fetch_page(session, job.target, args.policy)
                        endpoints[job.target] = discover(final, links, content_type, text)
                    except Exception as exc:  # noqa: BLE001 - remembered, raised for each post citing it
                        endpoints[job.target] = exc
                found = endpoints[job.target]
                if isinstance(found, Exception):
                    raise found
                if found is None:
                    outcome = "no-endpoint"
                else:
                    endpoint = found
                    status = await post_mention(session, endpoint, job.source, job.target, args.policy)
                    outcome = ("sent" if 200 <= status < 300 else "retry" if status in RETRY_STATUS else "rejected")
            except UnsafeURL as exc:
                outcome, error = "refused", str(exc)
            except Final as exc:
                outcome, error, status = "no-endpoint", str(exc), exc.status
            except Retry as exc:
                outcome, error, status = "retry", str(exc), exc.status
            except (aiohttp.ClientError, asyncio.TimeoutError, OSError, ValueError) as exc:
                outcome, error = "retry", f"{type(exc).__name__}: {exc}"[:300]
            if endpoint is not None and not is_http_url(endpoint):
                outcome, error, endpoint = "refused", f"endpoint {endpoint[:80]!r} is not an http(s) URL", None
            failed += outcome == "retry"
            record_result(state, job, outcome, now(), endpoint=endpoint, status=status, error=error)
            save()
            what = "Entfernung gemeldet" if job.digest is None else "gesendet"
            label = {"sent": what, "rejected": "abgelehnt", "no-endpoint": "kein Endpunkt",
                     "refused": "verweigert", "retry": "fehlgeschlagen, nächster Lauf versucht es erneut"}[outcome]
            detail = f" ({error or status})" if (error or outcome == "rejected") else ""
            print(f"{label}: {job.source} -> {job.target}{detail}", flush=True)
    return failed


def main(argv=None) -> int:
    args = parse_args(argv)
    root = Path(args.root).resolve()
    state_file = root / STATE_FILE
    try:
        settings = settings_file(root / "publishconf.py")
        siteurl = public_siteurl(settings)
        posts = published_posts(root, settings, siteurl, cutoff_day(settings))
        state = load_state(state_file, STATE_FILE)
    except (SettingsError, DataError, ContentError) as exc:
        print(exc, file=sys.stderr)
        return 2
    own_host = urlsplit(siteurl).hostname
    current = {}
    for post in posts:
        for target in markdown_links(post.path, root):
            if urlsplit(target).hostname != own_host:  # the blog's own pages need no notice
                current[post.url, target] = post.digest
    jobs = plan(current, state)
    print(f"{len(posts)} veröffentlichte Beiträge, {len(current)} zitierte Seiten, {len(jobs)} Webmentions fällig.",
          file=sys.stderr)
    if not jobs:
        return 0
    now = lambda: dt.datetime.now().replace(microsecond=0).isoformat()  # noqa: E731
    try:
        failed = asyncio.run(run(jobs, state, args, lambda: save_state(state_file, state), now))
    except KeyboardInterrupt:
        print("\nAbgebrochen – was bisher gesendet wurde, ist gespeichert.", file=sys.stderr)
        return 130
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
