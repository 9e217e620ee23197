"""`make linkcheck`: check every external link and record the verdicts.

    python -m wachhund.commands.linkcheck [--all] [--now 2026-11-22T10:00:00] [--archive]
                                [--allow-private] [--root DIR]

Exit code: 0 when no link became dead in this run, 1 when one did (for
scheduled runs), 2 for bad usage or a broken state file, 3 when no server
answered at all (see OFFLINE_HOSTS: nothing is recorded).
"""

import argparse
import asyncio
import datetime as dt
import sys
import time
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit

from wachhund.lib.net import AddressPolicy
from wachhund.lib.net.guarded import guarded_session
from wachhund.lib.settings import SettingsError, settings_file
from wachhund.lib.yamlfile import DataError

from .collect import collect
from .archive import archive_all
from .fetch import HostGate, Limits, check_one, spread_over_servers
from wachhund.links.rules import apply_result, is_due
from wachhund.links.settings import get_settings
from wachhund.links.state import load_state
from wachhund.links.state import save_state as _save_state

CHECKPOINT_SECONDS = 2.0  # at least this long between saves during a run
CHECKPOINT_SHARE = 0.1  # and at most this share of the run spent saving (a save blocks the checks)
# A run in which links on at least this many hosts fail and no server sends any HTTP answer may
# say more about our own network than about the pages. Up to PROBES links that worked before, on
# other hosts, are then checked too: if none answers either, the run's failures are not recorded
# (three such days would otherwise declare every cited page dead, and the feeds would say so).
OFFLINE_HOSTS = 3
PROBES = 3
NO_ANSWER = 3  # the exit code of such a run
UNREACHED = frozenset({"dns", "connect", "refused", "timeout"})  # fetch.classify: no server was reached
NOT_SENT = frozenset({"blocked", "invalid-url"})  # refused before any request: says nothing about the network


def parse_args(argv):
    parser = argparse.ArgumentParser(prog="make linkcheck", description="Check external links.")
    parser.add_argument("--root", default=".", help="project folder")
    parser.add_argument("--all", action="store_true", help="also check links checked recently")
    parser.add_argument("--now", default=None, help="the clock, e.g. 2026-11-22T10:00:00 (tests, backfills)")
    parser.add_argument("--archive", action="store_true",
                        help="ask the Wayback Machine for a snapshot of every cited page that has none yet")
    parser.add_argument("--archive-url", default="https://web.archive.org", help="Save Page Now base URL")
    parser.add_argument("--archive-rate", type=float, default=4.0,
                        help="at most this many snapshot requests per minute (default 4)")
    parser.add_argument("--allow-private", action="store_true", help="allow loopback/private addresses")
    parser.add_argument("--pruefen", action="store_true",
                        help="dry run: check and report, save no state and ask for no snapshot (make update ARGS=--pruefen)")
    parser.add_argument(
        "--allow-host", action="append", default=[], help="allow this one non-public host (repeatable; tests)"
    )
    parser.add_argument("--timeout", type=float, default=Limits.timeout, help="seconds per attempt")
    parser.add_argument("--retries", type=int, default=Limits.retries)
    parser.add_argument("--retry-after-cap", type=float, default=Limits.retry_after_cap)
    parser.add_argument("--backoff", type=float, default=Limits.backoff)
    parser.add_argument("--concurrency", type=int, default=Limits.concurrency)
    parser.add_argument("--per-host", type=int, default=Limits.per_host)
    parser.add_argument("--host-interval", type=float, default=Limits.host_interval)
    args = parser.parse_args(argv)
    if args.now:
        try:
            args.now = dt.datetime.fromisoformat(args.now).replace(tzinfo=None)
        except ValueError:
            parser.error(f"--now expects e.g. 2026-11-22T10:00:00, got {args.now!r}")
    else:
        args.now = dt.datetime.now().replace(microsecond=0)
    if args.archive_rate <= 0:
        parser.error("--archive-rate must be a positive number of requests per minute")
    args.policy = AddressPolicy(args.allow_private, frozenset(args.allow_host))
    if args.pruefen:
        args.archive = False  # a dry run sends nothing anywhere
    return args


class Progress:
    def __init__(self, total, stream=sys.stderr):
        self.total, self.done, self.failed, self.stream = total, 0, 0, stream
        self.tty = stream.isatty()
        self.last_line = 0.0

    def step(self, ok):
        self.done += 1
        self.failed += 0 if ok else 1
        if self.tty:
            width = 30
            filled = int(width * self.done / max(1, self.total))
            self.stream.write(
                f"\r  [{'#' * filled}{'.' * (width - filled)}] {self.done}/{self.total} · Fehler: {self.failed}"
            )
            self.stream.flush()
        elif self.done == self.total or time.monotonic() - self.last_line > 5:
            self.last_line = time.monotonic()
            print(f"  {self.done}/{self.total} geprüft, {self.failed} Fehler", file=self.stream, flush=True)

    def close(self):
        if self.tty and self.total:
            self.stream.write("\n")


async def run_checks(urls, args, limits, watch, on_result, archive_candidates, on_snapshot):
    """Check `urls`, then (with --archive) ask for snapshots of the cited pages that have none."""
    gate = HostGate(limits)
    async with guarded_session(args.policy, limits.timeout, limit=limits.concurrency, ttl_dns_cache=300) as session:
        async def one(url):
            return url, await check_one(session, url, limits, gate, args.policy, url in watch)

        tasks = [asyncio.ensure_future(one(url)) for url in spread_over_servers(urls)]
        try:
            for next_done in asyncio.as_completed(tasks):
                on_result(*await next_done)
        finally:
            for task in tasks:
                task.cancel()
        if args.archive:
            candidates = archive_candidates()
            print(f"{len(candidates)} zitierte Seiten ohne Archivkopie; höchstens {args.archive_rate:g} pro Minute.",
                  file=sys.stderr)
            await archive_all(session, candidates, args.archive_url, args.policy, args.archive_rate,
                              limits.retry_after_cap, on_snapshot, lambda text: print(text, file=sys.stderr))


def print_summary(state, checked, newly_dead, stream=None):
    stream = stream or sys.stdout  # looked up now, not when the module was imported
    counts = Counter(record["verdict"] for record in state.values())
    print("\nVerdikt      Links", file=stream)
    print("-----------  -----", file=stream)
    for verdict in ("ok", "moved", "suspect", "dead", "unchecked"):
        print(f"{verdict:<11}  {counts.get(verdict, 0):>5}", file=stream)
    print(f"\n{checked} Links geprüft.", file=stream)
    for url in newly_dead:
        print(f"NEU TOT: {url}  ({', '.join(state[url].get('used_in') or [])})", file=stream)


def main(argv=None) -> int:
    args = parse_args(argv)
    root = Path(args.root).resolve()
    try:
        settings = get_settings(settings_file(root / "pelicanconf.py"), root)
    except SettingsError as exc:
        print(exc, file=sys.stderr)
        return 2
    try:
        links = collect(root, settings.state_file, settings.ignore_hosts)
        state = load_state(settings.state_file, str(settings.state_file.relative_to(root)))
    except DataError as exc:
        print(exc, file=sys.stderr)
        return 2
    for url in links:
        state.setdefault(url, {"verdict": "unchecked"})
    for url, record in state.items():
        record["used_in"] = links.get(url, [])
    due = [url for url in links if is_due(state.get(url), args.now, args.all)]
    limits = Limits(
        timeout=args.timeout, retries=args.retries, retry_after_cap=args.retry_after_cap, backoff=args.backoff,
        concurrency=args.concurrency, per_host=args.per_host, host_interval=args.host_interval,
    )
    print(f"{len(links)} externe Links, {len(due)} fällig für eine Prüfung.", file=sys.stderr)
    progress = Progress(len(due))
    save_state = (lambda *_args: None) if args.pruefen else _save_state
    newly_dead = []
    last_save = [time.monotonic(), 0.0]  # when, and how long it took

    unanswered = []  # failures without any HTTP answer, held until some server has answered in this run
    answered = [False]

    def record_result(url, result):
        before = state.get(url, {})
        record = apply_result(before, result, args.now)
        state[url] = record
        if record["verdict"] == "dead" and before.get("verdict") != "dead":
            newly_dead.append(url)

    def on_result(url, result):
        progress.step(result["ok"])
        unreached = not result["ok"] and result.get("error") in UNREACHED
        if not unreached and result.get("error") not in NOT_SENT:
            answered[0] = True  # some server answered (an error page too): our network works
        if unreached and not answered[0]:
            unanswered.append((url, result))
            return
        for held in unanswered:
            record_result(*held)
        unanswered.clear()
        record_result(url, result)
        if time.monotonic() - last_save[0] > max(CHECKPOINT_SECONDS, last_save[1] / CHECKPOINT_SHARE):
            started = time.monotonic()
            save_state(settings.state_file, state)
            last_save[:] = [time.monotonic(), time.monotonic() - started]

    def archive_candidates():
        """Cited pages that work and have no snapshot yet (a dead page's copy would be an error page)."""
        return [url for url in links if not state[url].get("archive_url")
                and state[url].get("verdict") in ("ok", "moved")]

    def on_snapshot(url, snapshot):
        state[url].update(snapshot)
        save_state(settings.state_file, state)  # at once: a stopped run resumes after the last snapshot

    def probes():
        """Links that worked when last checked, on hosts other than the failing ones."""
        failing = {urlsplit(url).hostname for url, _result in unanswered}
        if len(failing) < OFFLINE_HOSTS:
            return []
        working = [url for url in sorted(links) if state[url].get("verdict") in ("ok", "moved")
                   and urlsplit(url).hostname not in failing]
        return working[:PROBES]

    code = 0
    offline = ""
    probe = []
    try:
        asyncio.run(run_checks(due, args, limits, settings.watch, on_result, archive_candidates, on_snapshot))
        probe = probes()
        if probe:
            progress.total += len(probe)
            asyncio.run(run_checks(probe, argparse.Namespace(**{**vars(args), "archive": False}), limits,
                                   settings.watch, on_result, archive_candidates, on_snapshot))
    except KeyboardInterrupt:
        print("\nAbgebrochen – bisherige Ergebnisse werden gespeichert.", file=sys.stderr)
        code = 130
    finally:
        progress.close()
        hosts = {urlsplit(url).hostname for url, _result in unanswered}
        if len(hosts) >= OFFLINE_HOSTS:
            failed = [url for url, _result in unanswered if url not in probe]
            asked = f", auch keiner der {len(probe)} zuletzt erreichbaren" if probe else ""
            offline = (f"Kein Server hat geantwortet ({len(failed)} Links auf "
                       f"{len({urlsplit(url).hostname for url in failed})} Servern{asked}): eher das "
                       "eigene Netz als lauter tote Seiten. Diese Fehlschläge sind nicht gezählt; Netz prüfen, "
                       "dann make linkcheck.")
        else:  # too few servers to tell our network from theirs: counted as usual
            for held in unanswered:
                record_result(*held)
        save_state(settings.state_file, state)
    print_summary(state, progress.done, newly_dead)
    if offline and not code:
        print(offline)
        return NO_ANSWER
    return code or (1 if newly_dead else 0)

