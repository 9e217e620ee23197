"""Amtliche Regionalschlüssel (ARS) and the dashboard's enumerations.

One place for the rules the importer and the build share: which key lies above
which, and which row of the federal dashboard counts as "available online".
"""

ONLINE_STATUS = ("ok", "nicht ok")
AKTIV = ("ja", "nein", "")
NOT_EVALUATED = "nicht in Auswertung berücksichtigt"
# How wide a row's coverage is, by its art_flaechendeckung: 3 = the whole country,
# 2 = a whole Land, 1 = a whole Kreis, 0 = not a whole area.
COVERAGE = {
    "bundesweit flächendeckend": 3,
    "landesweit flächendeckend": 2,
    "kreisweit flächendeckend": 1,
    "in mind. einer Kommune verfügbar": 0,
    NOT_EVALUATED: 0,
}
COUNTRY = "0" * 12


def is_ars(value) -> bool:
    """A regional key: twelve ASCII digits (not "٠", not a trailing newline), the one rule."""
    return isinstance(value, str) and len(value) == 12 and value.isascii() and value.isdigit()


def above(ars: str) -> list[str]:
    """The keys above `ars`, nearest first: Gemeindeverband (9 digits), Kreis (5),
    Regierungsbezirk (3), Land (2), the country. Each is `ars` with its lower
    levels set to zero."""
    keys = dict.fromkeys(ars[:digits].ljust(12, "0") for digits in (9, 5, 3, 2, 0))  # in order, each once
    return [key for key in keys if key != ars]


def width(ars: str) -> int:
    """How much coverage a row under this key needs to cover every key below it."""
    if ars == COUNTRY:
        return 3
    if ars[3:] == "0" * 9:  # a Land or a Regierungsbezirk
        return 2
    return 1  # a Kreis or a Gemeindeverband


def is_area_key(ars: str) -> bool:
    """The country, a Land or a Regierungsbezirk: never a municipality."""
    return ars[3:] == "0" * 9


def counts(online_status: str, aktiv: str, art: str) -> bool:
    """A row counts as available online: status ok, not switched off, evaluated.
    Values we do not know count as not available (the importer reports them)."""
    return online_status == "ok" and aktiv in ("ja", "") and art in COVERAGE and art != NOT_EVALUATED


def covers_below(ars: str, art: str) -> bool:
    """A counted row under a higher key covers every key below it when its
    art_flaechendeckung says it covers that key's whole area."""
    return COVERAGE.get(art, 0) >= width(ars)
