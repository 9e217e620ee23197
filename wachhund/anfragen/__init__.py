"""Questions to authorities ("Anfragen"): what was asked of whom, when, whether and
when an answer came, and how long the authority is overdue (issue 26).

Hand-kept: one file per question, ``data/anfragen/<slug>.yaml`` (schema.py).
Machine-written: ``data/anfragen/fragdenstaat.jsonl``, the dated history of the
linked FragDenStaat (froide) requests, written by ``make update-anfragen``
(history.py, froide.py). The state shown is computed from both, counted to the
question's *Stand*, never to the build's clock (status.py); feed entries are a
pure function of the same (feed.py). Pelican-free.
"""

from .history import load_history
from .model import load_anfragen
from .schema import load_questions

__all__ = ["load_anfragen", "load_history", "load_questions"]
