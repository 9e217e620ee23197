"""The "Belege" list at the end of a post: every cited source once, with its status and archived copy."""

from urllib.parse import urlsplit

from .annotate import public_verdict
from wachhund.links.rules import parse_iso

STATUS = {
    "ok": "erreichbar",
    "suspect": "erreichbar",  # readers never see "suspect" (see rules.py)
    "moved": "umgezogen",
    "dead": "nicht erreichbar",
    "unchecked": "noch nicht geprüft",
}


def belege(doc, state) -> list[dict]:
    """In the order the post cites them: url, a short label, the status in German, the snapshot."""
    items = []
    for url in dict.fromkeys(doc.metadata.get("cited_links") or ()):
        record = state.get(url) or {}
        verdict = public_verdict(record)
        parts = urlsplit(url)
        archived = record.get("archive_url") and record.get("archived_at")
        items.append({
            "url": url,
            "label": (parts.hostname or "") + (parts.path if parts.path not in ("", "/") else ""),
            "verdict": "ok" if verdict == "suspect" else verdict,
            "status": STATUS.get(verdict, STATUS["unchecked"]),
            "checked": parse_iso(record.get("last_checked")),
            "archive_url": record.get("archive_url") if archived else None,
            "archived_at": parse_iso(record.get("archived_at")) if archived else None,
        })
    return items
