"""The verdict rules, as plain functions of a record and a check result.

A link is `dead` only after at least 3 failed checks spanning at least 3 days;
one success resets it (the rule InternetArchiveBot uses). Before that it is
`suspect`. A permanent redirect (301/308) to a working page is `moved`.
"""

import datetime as dt

DEAD_AFTER_FAILURES = 3
DEAD_AFTER_DAYS = 3
RECHECK_OK = dt.timedelta(days=7)
RECHECK_FAILING = dt.timedelta(days=1)
HISTORY_LENGTH = 10
VERDICTS = ("ok", "moved", "suspect", "dead", "unchecked")


def iso(moment: dt.datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S")


def parse_iso(value):
    if value is None or isinstance(value, dt.datetime):
        return value
    if isinstance(value, dt.date):
        return dt.datetime.combine(value, dt.time())
    return dt.datetime.fromisoformat(str(value))


def is_due(record: dict | None, now: dt.datetime, check_all: bool) -> bool:
    if check_all or not record or not record.get("last_checked"):
        return True
    age = now - parse_iso(record["last_checked"])
    failing = record.get("verdict") in ("suspect", "dead")
    return age >= (RECHECK_FAILING if failing else RECHECK_OK)


def apply_result(record: dict | None, result: dict, now: dt.datetime) -> dict:
    """Return the new record for one URL after one check (does not mutate)."""
    record = dict(record or {})
    stamp = iso(now)
    record.setdefault("first_seen", stamp)
    record["last_checked"] = stamp
    record["status"] = result.get("status")
    record["error"] = result.get("error")
    entry = {"at": stamp, "result": result.get("status") or result.get("error")}
    record["history"] = [*(record.get("history") or []), entry][-HISTORY_LENGTH:]
    if result["ok"]:
        record["last_ok"] = stamp
        record["failures"] = 0
        record["failing_since"] = None
        record["final_url"] = result.get("final_url")
        record["verdict"] = "moved" if result.get("permanent_redirect") else "ok"
        record["dead_since"] = None
        if record["verdict"] == "moved":
            if record.get("moved_to") != record.get("final_url"):
                record["moved_since"] = stamp
            record["moved_to"] = record.get("final_url")
        if fingerprint := result.get("fingerprint"):
            if record.get("fingerprint") != fingerprint:
                record["fingerprint"] = fingerprint
                record["unchanged_since"] = stamp
            record.setdefault("unchanged_since", stamp)
    else:
        record["failures"] = int(record.get("failures") or 0) + 1
        record["failing_since"] = record.get("failing_since") or stamp
        span = now - parse_iso(record["failing_since"])
        dead = record["failures"] >= DEAD_AFTER_FAILURES and span >= dt.timedelta(days=DEAD_AFTER_DAYS)
        record["verdict"] = "dead" if dead else "suspect"
        if dead and not record.get("dead_since"):
            record["dead_since"] = stamp  # when the rule first said dead: the alert's date
    return record
