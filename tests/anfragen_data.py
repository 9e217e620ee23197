"""Shared by the questions' tests: the fictional fixture questions and a minimal question file."""

from pathlib import Path

from tests.support import ROOT

FDS = "https://fragdenstaat.de"
FIXTURES = ROOT / "tests/fixtures/anfragen"
OPEN = "digitalteam-online-dienste"  # fixture: open, overdue, synced
DONE = "ministerpraesident-mail"  # fixture: answered in part, no FragDenStaat

BASE_YAML = """titel: Stand der Online-Dienste
an: Stadt Beispielstadt
gestellt: 2026-09-01
kanal: E-Mail
frage: Welche OZG-Leistungen bieten Sie online an?
"""


def write(folder: Path, slug: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{slug}.yaml"
    path.write_text(text, encoding="utf-8")
    return path
