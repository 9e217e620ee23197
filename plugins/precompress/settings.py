"""The precompress plugin's setting, checked in one place."""

from dataclasses import dataclass

from wachhund.lib.settings import boolean


@dataclass(frozen=True)
class PrecompressSettings:
    enabled: bool  # PRECOMPRESS: True in publishconf.py only (`make publish`)


def get_settings(settings: dict) -> PrecompressSettings:
    return PrecompressSettings(enabled=boolean("PRECOMPRESS", settings.get("PRECOMPRESS", False)))
