"""All questions with their history, loaded and checked together (what the build and the command read)."""

from dataclasses import dataclass
from pathlib import Path

from wachhund.lib.yamlfile import DataError

from .history import HISTORY_FILE, load_history
from .schema import load_questions
from .status import Lage, lage, order


@dataclass(frozen=True)
class Anfragen:
    lagen: dict  # {slug: Lage}

    def ordered(self) -> list[Lage]:
        return order(self.lagen.values())


def load_anfragen(folder: Path, base: str, shown=lambda path: str(path)) -> Anfragen:
    """The questions in `folder` and their FragDenStaat history; a history line naming a
    question that has no file is an error with its line (the command drops such lines)."""
    folder = Path(folder)
    questions = load_questions(folder, base, shown)
    history_path = folder / HISTORY_FILE
    records, checks = load_history(history_path, shown(history_path))
    orphans = [(shown(history_path), r.line, f"history of {r.anfrage!r}, but there is no "
                f"{r.anfrage}.yaml: restore it, delete the line, or run make update-anfragen (it drops them)")
               for r in [*records, *checks.values()] if r.anfrage not in questions]
    if orphans:
        raise DataError(sorted(orphans, key=lambda p: p[1]))
    return Anfragen({slug: lage(q, [r for r in records if r.anfrage == slug], checks.get(slug))
                     for slug, q in questions.items()})
