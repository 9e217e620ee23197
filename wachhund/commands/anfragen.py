"""`make update-anfragen`: read every question's FragDenStaat request from the froide API.

Each request linked in `data/anfragen/<slug>.yaml` is looked up and read; what changed is
added, dated, to `data/anfragen/fragdenstaat.jsonl` in one atomic write after every answer
was checked, so a failed, cut-off or malformed answer writes nothing. README: "Link it to
FragDenStaat and sync" (statuses, a request that disappeared, exit codes 0, 1 and 2).
"""

import argparse
import datetime as dt
import sys
from pathlib import Path
from zoneinfo import ZoneInfo

import aiohttp

from wachhund.anfragen.froide import (FroideError, detail_url, is_known, parse_detail, parse_search, search_url)
from wachhund.anfragen.history import HISTORY_FILE, CheckRecord, SyncRecord, history_text, load_history
from wachhund.anfragen.schema import froide_ref, load_questions
from wachhund.anfragen.settings import get_settings, instance_base
from wachhund.lib.net import AddressPolicy, UnsafeURL
from wachhund.lib.net.guarded import HTTPStatusError
from wachhund.lib.net.guarded import download as guarded_download
from wachhund.lib.settings import SettingsError, settings_file
from wachhund.lib.files import shown_path
from wachhund.lib.yamlfile import DataError, write_atomic

USER_AGENT = "Wachhund-Anfragen/1.0 (+Watchdog-Blog zum OZG in Duisburg)"
MAX_BYTES = 4 * 1024 * 1024  # one request's JSON is a few KB
TIMEOUT = 60
GONE = (404, 410)


class Gone(Exception):
    """froide does not show the request (any more): private, deleted or never there."""


def fetch(url: str, allow_private: bool) -> bytes:
    """One complete 200 answer through the project's network guard."""
    return guarded_download(url, AddressPolicy(allow_private=allow_private),
                            {"User-Agent": USER_AGENT, "Accept": "application/json"}, MAX_BYTES, TIMEOUT, 5)[1]


def read_request(question, api: str, instance: str, allow_private: bool, warn):
    """The FroideState of the question's request; Gone, or an exception for a failure."""
    kind, value = froide_ref(question.fragdenstaat, instance)
    try:
        if kind == "slug":
            url = search_url(api, value)
            ident = parse_search(fetch(url, allow_private), value, url)
            if ident is None:
                raise Gone(f"FragDenStaat lists no request {value!r} (made private or deleted?)")
        else:
            ident = int(value)
        url = detail_url(api, ident)
        return parse_detail(fetch(url, allow_private), instance, url, warn)
    except HTTPStatusError as exc:
        if exc.status in GONE:
            raise Gone(f"{exc} (made private or deleted?)") from None
        raise


def merge(records, checks: dict, observed: dict, datum: dt.date, slugs) -> tuple[list, dict, list]:
    """The history after this sync: a change line per question whose state differs from its
    last one before `datum` (a second run on one day replaces that day's line), the check
    date moved for every question read; lines of questions without a file are dropped."""
    newest = max([r.datum for r in records] + [c.geprueft for c in checks.values()], default=None)
    if newest is not None and datum < newest:
        raise ValueError(f"--date {datum} is older than the newest date in the history ({newest})")
    result, result_checks, changed = [], {}, []
    for slug in sorted(slugs):
        mine = [r for r in records if r.anfrage == slug]
        if slug in checks:
            result_checks[slug] = checks[slug]
        if slug in observed:
            mine = [r for r in mine if r.datum < datum]
            if not mine or mine[-1].state != observed[slug]:
                mine.append(SyncRecord(slug, datum, observed[slug]))
                changed.append(slug)
            result_checks[slug] = CheckRecord(slug, datum)
        result += mine
    return result, result_checks, changed


def run(data_dir: Path, instance: str, api: str, datum: dt.date, allow_private=False, shown=str,
        out=print, err=None, write=True) -> int:
    err = err or (lambda message: print(message, file=sys.stderr))
    questions = load_questions(data_dir, instance, shown)
    history_path = data_dir / HISTORY_FILE
    records, checks = load_history(history_path, shown(history_path))
    observed, gone, failed, refused = {}, [], [], []
    for slug, question in questions.items():
        if question.fragdenstaat is None:
            continue
        try:
            state = read_request(question, api, instance, allow_private,
                                 lambda message, q=question: err(f"warning: {q.path}: {message}"))
        except Gone as exc:
            gone.append(f"{question.path}: {question.fragdenstaat}: {exc}")
            continue
        except UnsafeURL as exc:
            refused.append(f"{question.path}: refused: {exc}")
            continue
        except (OSError, aiohttp.ClientError, FroideError) as exc:
            failed.append(f"{question.path}: {question.fragdenstaat}: {exc or type(exc).__name__}")
            continue
        if not is_known(state):
            err(f"{question.path}: FragDenStaat reports an unknown status {state.status!r}"
                + (f" / resolution {state.resolution!r}" if state.resolution else "") + "; kept as text")
        observed[slug] = state
    for message in gone:
        err(f"not found: {message}")
    if failed or refused:
        for message in refused + failed:
            err(message)
        err("update-anfragen failed; nothing was written.")
        return 2 if refused and not failed else 1
    dropped = sorted(({r.anfrage for r in records} | set(checks)) - set(questions))
    records, checks, changed = merge(records, checks, observed, datum, questions)
    text = history_text(records, checks)
    old = history_path.read_text(encoding="utf-8") if history_path.exists() else ""
    if text != old and write:
        write_atomic(history_path, text)
    for slug in dropped:
        out(f"dropped the history of {slug!r}: there is no {slug}.yaml any more")
    out(f"{len(observed)} FragDenStaat request(s) read, {len(changed)} changed"
        + (f" ({', '.join(changed)})" if changed else "") + (f", {len(gone)} not found" if gone else "")
        + f"; {shown(history_path)} {'unchanged' if text == old else 'written' if write else 'would change (--pruefen)'}")
    return 1 if gone else 0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default=None,
                        help="the froide instance's API base (default: ANFRAGEN['FRAGDENSTAAT_URL'])")
    parser.add_argument("--data-dir", default=None, help="default: ANFRAGEN['DATA_DIR']")
    parser.add_argument("--date", default=None, help="date of the sync YYYY-MM-DD (default: today, Europe/Berlin)")
    parser.add_argument("--allow-private", action="store_true", help="allow loopback/private addresses (tests)")
    parser.add_argument("--pruefen", action="store_true", help="read and check, report what would change, write nothing")
    args = parser.parse_args(argv)
    root = Path.cwd()
    try:
        settings = get_settings(settings_file(root / "pelicanconf.py"), root)
        api = instance_base("--url", args.url) if args.url else settings.fragdenstaat_url
    except SettingsError as exc:
        print(exc, file=sys.stderr)
        return 2
    try:
        datum = dt.date.fromisoformat(args.date) if args.date else dt.datetime.now(ZoneInfo("Europe/Berlin")).date()
    except ValueError:
        parser.error(f"--date must be a day YYYY-MM-DD, got {args.date!r}")
    data_dir = Path(args.data_dir) if args.data_dir else settings.data_dir
    try:
        return run(data_dir, settings.fragdenstaat_url, api, datum, args.allow_private,
                   lambda path: shown_path(path, root), write=not args.pruefen)
    except DataError as exc:
        print(exc, file=sys.stderr)
        return 1
    except ValueError as exc:
        print(f"update-anfragen: {exc}; nothing was written.", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
