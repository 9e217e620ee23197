"""Precompressed .gz and .br copies for static hosts (`make publish`).

Our own ten lines rather than pelican-precompress: the gzip header carries no
timestamp (mtime=0), so two publishes of the same sources give the same bytes.
"""

import gzip
from pathlib import Path

import brotli
from pelican import signals

from .settings import get_settings

SUFFIXES = {".html", ".css", ".js", ".xml", ".xsl", ".json", ".csv", ".svg", ".txt"}
MIN_BYTES = 256


def compress_tree(root: Path) -> int:
    count = 0
    for path in sorted(root.rglob("*")):
        if not path.is_file() or path.suffix not in SUFFIXES:
            continue
        data = path.read_bytes()
        if len(data) < MIN_BYTES:
            continue
        path.with_name(path.name + ".gz").write_bytes(gzip.compress(data, compresslevel=9, mtime=0))
        path.with_name(path.name + ".br").write_bytes(brotli.compress(data, quality=11))
        count += 1
    return count


def on_initialized(pelican):
    get_settings(pelican.settings)  # a bad setting stops the build before anything is read


def on_finalized(pelican):
    if get_settings(pelican.settings).enabled:
        compress_tree(Path(pelican.output_path))


def register():
    signals.initialized.connect(on_initialized)
    signals.finalized.connect(on_finalized)
