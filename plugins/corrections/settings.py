"""Corrections settings, checked in one place."""

from dataclasses import dataclass

from wachhund.lib.settings import options, path_part

DEFAULTS = {"URL": "korrekturen/"}


@dataclass(frozen=True)
class CorrectionSettings:
    url: str  # the page listing every correction, e.g. "korrekturen/"


def get_settings(settings: dict) -> CorrectionSettings:
    raw = options(settings, "CORRECTIONS", DEFAULTS)
    return CorrectionSettings(path_part("CORRECTIONS['URL']", raw["URL"]) + "/")
