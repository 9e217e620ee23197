"""`make update`: every online update in turn, then one summary in German.

    python -m wachhund.commands.update [--pruefen] [--annehmen] [--allow-private] [--date YYYY-MM-DD]

Each part is its own command (`python -m …`), run as a child process: one that
fails, hangs up or crashes does not stop the next. Its output goes through to the
terminal as it comes and is read afterwards by the part's `summarize`, which says
what changed, what was found and what failed. A finding (a link that became dead)
is no failure; the exit code is 1 only when a part could not do its work.

A new online update (an instrument's) adds one `Part` to PARTS: its command line
for the options below, and how to read its exit code and output.
"""

import argparse
import contextlib
import datetime as dt
import re
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from wachhund.lib.files import Busy, sole_writer


@dataclass(frozen=True)
class Options:
    pruefen: bool = False  # dry run: fetch and check, write nothing, send nothing
    annehmen: bool = False  # take an import held back as a bad day upstream
    allow_private: bool = False
    date: dt.date | None = None  # the day every part works as (each part's own clock option)


@dataclass
class Result:
    changed: list = field(default_factory=list)  # "12 OZG-Änderungen", … (counts)
    findings: list = field(default_factory=list)  # worth reading, not a failure
    failure: str = ""  # why the part could not do its work
    todo: str = ""  # what the author can do about it


@dataclass(frozen=True)
class Part:
    name: str  # German: the summary's heading for it
    argv: Callable[[Options], list]  # the command line (after `python -m`)
    summarize: Callable[[int, str], Result]  # (exit code, output) -> Result


# --- the federal dashboard ---------------------------------------------------------------

def dashboard_argv(o: Options) -> list:
    return ["wachhund.commands.importers.dashboard",
            *(["--pruefen"] if o.pruefen else []), *(["--annehmen"] if o.annehmen else []),
            *(["--allow-private"] if o.allow_private else []), *(["--date", o.date.isoformat()] if o.date else [])]


def dashboard_summary(code: int, output: str) -> Result:
    result = Result()
    lines = [line for line in output.splitlines() if line.startswith("OZG-Import ")]
    changes = sum(int(m.group(1)) for line in lines if (m := re.search(r"Zeilen, (\d+) Änderung", line)))
    imported = sum(1 for line in lines if re.search(r"Zeilen, \d+ Änderung", line))
    result.changed.append(f"{changes} geänderte Dienste in {imported} Import(en)")
    held = [line for line in lines if "zurückgehalten" in line]
    failed = [line for line in lines if "fehlgeschlagen" in line]
    result.findings += [line.removeprefix("OZG-Import ") for line in held]
    result.findings += _alike([line.removeprefix("OZG-Name: ") for line in output.splitlines()
                               if line.startswith("OZG-Name: ")])
    if failed:
        result.failure = "; ".join(_alike([line.removeprefix("OZG-Import ") for line in failed]))
        result.todo = ("Die Meldung oben nennt Adresse, HTTP-Status und was zu prüfen ist "
                       "(meist OZG[\"DASHBOARD_URL\"] in pelicanconf.py); die bisherigen Daten bleiben stehen.")
    elif held:
        result.failure = f"{len(held)} Import(e) zurückgehalten (sieht nach einem schlechten Tag beim Dashboard aus)"
        result.todo = "Morgen erneut versuchen; ist der Rückgang echt: make update-ozg ARGS=--annehmen"
    elif code != 0:
        result.failure = _last_line(output) or f"Exit-Code {code}"
        result.todo = "Die Ausgabe oben lesen; make update-ozg wiederholt nur diesen Teil."
    return result


_KEYED = re.compile(r"(\d{12}) \(([^)]*)\): ")


def _alike(lines: list) -> list:
    """Lines "<key> (<what>): <text>" whose texts agree but for the addresses in brackets, as one
    line naming the keys: a host that cannot be reached fails every key alike (eleven imports and
    fifteen city names on the first run without network), and the author reads it once."""
    groups = {}
    for line in lines:
        m = _KEYED.match(line)
        text = re.sub(r" \(https?://[^)\s]*\)", "", line[m.end():]) if m else line
        groups.setdefault((text, m is None), []).append((line, m))
    return [members[0][0] if len(members) == 1 or unkeyed
            else f"{text} – bei {len(members)} Schlüsseln: " + ", ".join(f"{m[1]} ({m[2]})" for _line, m in members)
            for (text, unkeyed), members in groups.items()]  # an unkeyed line repeated: said once


# --- links ---------------------------------------------------------------------------------

def linkcheck_argv(archive: bool) -> Callable[[Options], list]:
    def argv(o: Options) -> list:
        return ["wachhund.commands.linkcheck", *(["--archive"] if archive else []),
                *(["--pruefen"] if o.pruefen else []), *(["--allow-private"] if o.allow_private else []),
                *(["--now", f"{o.date.isoformat()}T00:00:00"] if o.date else [])]
    return argv


def linkcheck_summary(code: int, output: str) -> Result:
    result = Result()
    checked = re.search(r"^(\d+) Links geprüft\.", output, re.M)
    result.changed.append(f"{checked.group(1) if checked else 0} Links geprüft")
    dead = [line.removeprefix("NEU TOT: ") for line in output.splitlines() if line.startswith("NEU TOT: ")]
    result.findings += [f"Link neu tot: {line}" for line in dead]
    # 1 with dead links is the checker's "a link became dead": a finding. (1 without them is
    # Python's own code for a crash.)
    if code != 0 and not (code == 1 and dead):
        result.failure = _last_line(output) or f"Exit-Code {code}"
        result.todo = "Die Ausgabe oben lesen; make linkcheck wiederholt nur diesen Teil."
    return result


def archive_summary(code: int, output: str) -> Result:
    result = linkcheck_summary(code, output)
    saved = sum(1 for line in output.splitlines() if line.strip().startswith("archiviert ("))
    failed = [line.strip() for line in output.splitlines() if "Archivierung fehlgeschlagen" in line]
    result.changed = [f"{saved} neue Archivkopie(n)"]
    result.findings = [f for f in result.findings if not f.startswith("Link neu tot")] + failed
    return result


# --- questions to authorities (FragDenStaat) ----------------------------------------------

def anfragen_argv(o: Options) -> list:
    return ["wachhund.commands.anfragen", *(["--pruefen"] if o.pruefen else []),
            *(["--allow-private"] if o.allow_private else []), *(["--date", o.date.isoformat()] if o.date else [])]


def anfragen_summary(code: int, output: str) -> Result:
    result = Result()
    read = re.search(r"^(\d+) FragDenStaat request\(s\) read, (\d+) changed", output, re.M)
    result.changed.append(f"{read.group(2) if read else 0} von {read.group(1) if read else 0} FragDenStaat-Anfragen geändert")
    gone = [line.removeprefix("not found: ") for line in output.splitlines() if line.startswith("not found: ")]
    result.findings += [f"Anfrage bei FragDenStaat nicht mehr zu finden (privat oder gelöscht): {line}" for line in gone]
    if code != 0 and not (code == 1 and gone and read):
        result.failure = _last_line(output) or f"Exit-Code {code}"
        result.todo = "Die Meldung oben nennt die Anfrage und den Grund; make update-anfragen wiederholt nur diesen Teil."
    return result


# --- open-data portals ----------------------------------------------------------------------

def opendata_argv(o: Options) -> list:
    return ["wachhund.commands.opendata", *(["--pruefen"] if o.pruefen else []),
            *(["--annehmen"] if o.annehmen else []), *(["--allow-private"] if o.allow_private else []),
            *(["--date", o.date.isoformat()] if o.date else [])]


def opendata_summary(code: int, output: str) -> Result:
    result = Result()
    for m in re.finditer(r"^(\S+): (\d+) datasets; (\d+) new, (\d+) updated, (\d+) removed", output, re.M):
        result.changed.append(f"{m.group(1)}: {m.group(2)} Datensätze, {m.group(3)} neu, {m.group(4)} aktualisiert, "
                              f"{m.group(5)} entfernt")
    if code == 3:  # held back: more than half of a portal's datasets would go
        result.failure = "ein Import zurückgehalten: er würde mehr als die Hälfte der Datensätze entfernen"
        result.todo = "Das Portal ansehen; ist es richtig: make update-opendata PORTAL=… ARGS=--annehmen"
    elif code != 0:
        # the portal, its address and the cause; the line after them ("Nothing was written.") says nothing here
        failed = re.findall(r"^update-opendata failed for (\S+) (\(\S+\)):\n(.+)$", output, re.M)
        result.failure = "; ".join(f"Portal {slug} {url}: {cause}" for slug, url, cause in failed) \
            or _last_line(output) or f"Exit-Code {code}"
        result.todo = "Die Meldung oben nennt Portal und Adresse; make update-opendata wiederholt nur diesen Teil."
    return result


# The registry: every online update, in the order they run.
PARTS = [
    Part("Dashboard Digitale Verwaltung (OZG-Status)", dashboard_argv, dashboard_summary),
    Part("Linkprüfung", linkcheck_argv(archive=False), linkcheck_summary),
    Part("Archivierung zitierter Seiten (Wayback Machine)", linkcheck_argv(archive=True), archive_summary),
    Part("Anfragen (FragDenStaat)", anfragen_argv, anfragen_summary),
    Part("Offene Daten (Kataloge der Portale)", opendata_argv, opendata_summary),
]


def _last_line(output: str) -> str:
    lines = [line for line in output.splitlines() if line.strip()]
    return lines[-1].strip() if lines else ""


def run_part(part: Part, options: Options, python: str = sys.executable) -> Result:
    """Run one part, its output passed through as it comes; any failure becomes a Result."""
    print(f"\n=== {part.name} ===", flush=True)
    command = [python, "-m", *part.argv(options)]
    try:
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                                   encoding="utf-8", errors="replace", bufsize=1)
    except OSError as exc:
        return Result(failure=f"nicht gestartet: {exc}", todo="Ist `make install` gelaufen?")
    lines = []
    for line in process.stdout:
        sys.stdout.write(line)
        lines.append(line)
    code = process.wait()
    try:
        return part.summarize(code, "".join(lines))
    except Exception as exc:  # noqa: BLE001 - a summary that cannot be read must not hide the others
        return Result(failure=f"Ausgabe nicht lesbar ({exc}); Exit-Code {code}")


def summary_text(results, options: Options) -> str:
    lines = ["", "=" * 60, "Zusammenfassung" + (" des Probelaufs (--pruefen: nichts geschrieben, nichts gesendet)"
                                                 if options.pruefen else ""), "=" * 60]
    for part, result in results:
        status = "FEHLGESCHLAGEN" if result.failure else "ok"
        lines.append(f"{part.name}: {status}")
        for item in result.changed:
            lines.append(f"  {'würde ändern' if options.pruefen else 'geändert'}: {item}")
        for item in result.findings:
            lines.append(f"  Befund: {item}")
        if result.failure:
            lines.append(f"  Grund: {result.failure}")
            if result.todo:
                lines.append(f"  Was tun: {result.todo}")
    failed = [part.name for part, result in results if result.failure]
    lines.append("")
    if failed:
        lines.append(f"{len(failed)} von {len(results)} Teilen konnten ihre Arbeit nicht tun: {', '.join(failed)}. "
                     + ("Ein Probelauf speichert nichts." if options.pruefen
                        else "Was die anderen geholt haben, ist gespeichert und wird veröffentlicht."))
    else:
        lines.append(f"Alle {len(results)} Teile haben ihre Arbeit getan."
                     + (" Befunde oben lesen." if any(r.findings for _p, r in results) else ""))
    return "\n".join(lines)


def main(argv=None, parts=None) -> int:
    parser = argparse.ArgumentParser(prog="make update", description="Run every online update, then sum up.")
    parser.add_argument("--pruefen", action="store_true", help="fetch and check, report what would change, write and send nothing")
    parser.add_argument("--annehmen", action="store_true", help="take a dashboard import held back as a bad day")
    parser.add_argument("--allow-private", action="store_true", help="allow loopback/private addresses (tests)")
    parser.add_argument("--date", default=None, help="the day every part works as, YYYY-MM-DD (default: today)")
    args = parser.parse_args(argv)
    try:
        date = dt.date.fromisoformat(args.date) if args.date else None
    except ValueError:
        parser.error(f"--date expects YYYY-MM-DD, got {args.date!r}")
    options = Options(args.pruefen, args.annehmen, args.allow_private, date)
    # Two runs at once (a timer and a hand) would each write the link state and the other
    # stores over the other's changes: the project's data/ is held for the whole run. A dry
    # run writes nothing and holds nothing. A part holds only a folder below data/ (the
    # dashboard import: data/ozg/): holding data/ itself, it would find it held by this run.
    data = Path("data")  # the project's, where `make` runs
    try:
        with sole_writer(data) if data.is_dir() and not options.pruefen else contextlib.nullcontext():
            results = [(part, run_part(part, options)) for part in (PARTS if parts is None else parts)]
    except Busy as exc:
        print(f"{exc} (läuft make update schon?): dieser Lauf hat nichts geholt und nichts geändert; "
              "nach dem anderen erneut starten.", file=sys.stderr)
        return 1
    print(summary_text(results, options), flush=True)
    return 1 if any(result.failure for _part, result in results) else 0


if __name__ == "__main__":
    sys.exit(main())
