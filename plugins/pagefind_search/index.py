"""Run the Pagefind binary shipped by the ``pagefind-bin`` wheel."""

import logging
import subprocess

from pagefind_bin import get_executable
from pelican import signals

log = logging.getLogger(__name__)


class PagefindError(RuntimeError):
    pass


def run_pagefind(output_path: str) -> None:
    cmd = [str(get_executable()), "--site", str(output_path), "--silent"]
    result = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise PagefindError(
            f"Pagefind konnte den Suchindex nicht bauen (Exit {result.returncode}):\n"
            + (result.stderr or result.stdout)
        )


def on_finalized(pelican):
    if pelican.settings.get("PAGEFIND", True):
        run_pagefind(pelican.output_path)


def register():
    signals.finalized.connect(on_finalized)
