"""Pelican's reader cache, streamed to disk instead of held in memory.

Pelican keeps every post's HTML and metadata in one dict for the whole build
and pickles the dict when reading is done. At 5,000 posts that dict, plus the
UTF-8 copy CPython attaches to every non-ASCII string it pickles, was the
largest single cost in peak memory. Here each file's record is written as
soon as the file is read (HTML as UTF-8 bytes) to a temporary file that
replaces the previous cache when reading is done. The previous build's
records are loaded on first use and dropped one by one as files are read.

Pelican's settings keep their meaning: CACHE_CONTENT, LOAD_CONTENT_CACHE
(``--ignore-cache``) and CHECK_MODIFIED_METHOD. Tags, categories and authors
in cached metadata point to the current settings, not to a pickled copy.
"""

import io
import logging
import os
import pickle
from pathlib import Path

from markupsafe import Markup
from pelican import signals
from pelican.urlwrappers import Author, Category, Tag

log = logging.getLogger(__name__)
SUFFIX = ".records"


LABELS = {cls.__name__: cls for cls in (Author, Category, Tag)}


class _Pickler(pickle.Pickler):
    """Pickles a record without changing the objects it pickles.

    Pickling changes two kinds of object for good: a non-ASCII ``str`` gets
    a cached UTF-8 copy, and an object pickled through its ``__dict__`` gets
    that dict built. Both would stay in memory for the whole build (titles,
    summaries, each post's tags: ~0.9 KB a post). So those go in as
    references: UTF-8 bytes, and a label's class, name and slug.
    """

    def __init__(self, file, settings):
        super().__init__(file, protocol=pickle.HIGHEST_PROTOCOL)
        self._settings = settings

    def persistent_id(self, obj):
        kind = type(obj)
        if kind is str or kind is Markup:
            return None if obj.isascii() else (kind.__name__, obj.encode("utf-8", "surrogatepass"))
        if obj is self._settings:
            return "settings"
        if kind.__name__ in LABELS and LABELS[kind.__name__] is kind:
            # The slug too: slugifying every label again on load cost 0.5 s
            # of a 1,000-post rebuild.
            return ("label", kind.__name__, obj._name, obj.slug, obj._slug_from_name)
        return None


class _Unpickler(pickle.Unpickler):
    def __init__(self, file, settings):
        super().__init__(file)
        self._settings = settings

    def persistent_load(self, pid):
        if pid == "settings":
            return self._settings
        if isinstance(pid, tuple) and pid[0] == "str":
            return pid[1].decode("utf-8", "surrogatepass")
        if isinstance(pid, tuple) and pid[0] == "Markup":
            return Markup(pid[1].decode("utf-8", "surrogatepass"))
        if isinstance(pid, tuple) and pid[0] == "label" and pid[1] in LABELS:
            label = LABELS[pid[1]](pid[2], self._settings)
            label._slug, label._slug_from_name = pid[3], pid[4]
            return label
        raise pickle.UnpicklingError(f"unknown reference {pid!r}")


class StreamCache:
    """Stands in for the cache methods of one `pelican.readers.Readers`."""

    def __init__(self, readers):
        self.readers = readers
        self.previous = None  # source path -> (stamp, record), read on first use
        self.out = None
        self.temporary = None

    @property
    def path(self) -> Path:
        # Set by Pelican after the readers_init signal, hence looked up late.
        return Path(self.readers._cache_path + SUFFIX)

    @property
    def active(self) -> bool:
        return bool(self.readers._cache_data_policy)

    def get(self, filename, default=None):
        if not self.active:
            return default
        if self.previous is None:
            self.previous = self._load() if self.readers.settings.get("LOAD_CONTENT_CACHE") else {}
        stamp, record = self.previous.pop(filename, (None, None))
        if record is None or stamp != self.readers._get_file_stamp(filename):
            return default
        try:
            html, metadata = _Unpickler(io.BytesIO(record), self.readers.settings).load()
        except Exception as exc:  # noqa: BLE001 - e.g. written by another Pelican version
            log.warning("content cache record for %s unreadable (%s); reading the file again", filename, exc)
            return default
        self._write(filename, stamp, record)
        return (None if html is None else html.decode("utf-8", "surrogatepass")), metadata

    def put(self, filename, data):
        if not self.active:
            return
        content, metadata = data
        html = None if content is None else content.encode("utf-8", "surrogatepass")
        buffer = io.BytesIO()
        _Pickler(buffer, self.readers.settings).dump((html, metadata))
        self._write(filename, self.readers._get_file_stamp(filename), buffer.getvalue())

    def save(self):
        if not self.active:
            return
        if self.out is None:
            self._open()  # no file read: an empty cache, not the previous one
        self.out.close()
        os.replace(self.temporary, self.path)
        self.out = self.temporary = self.previous = None
        _remove_orphans(self.path)

    def _write(self, filename, stamp, record):
        if self.out is None:
            self._open()
        pickle.dump((filename, stamp, record), self.out, protocol=pickle.HIGHEST_PROTOCOL)

    def _open(self):
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.temporary = self.path.with_name(f"{self.path.name}.{os.getpid()}.tmp")
        self.out = open(self.temporary, "wb")  # noqa: SIM115 (closed in save)

    def _load(self) -> dict:
        records = {}
        try:
            with open(self.path, "rb") as handle:
                while True:
                    try:
                        filename, stamp, record = pickle.load(handle)
                    except EOFError:
                        break
                    records[filename] = (stamp, record)
        except FileNotFoundError:
            return {}
        except (OSError, pickle.UnpicklingError, ValueError, TypeError) as exc:
            log.warning("content cache %s unreadable (%s); reading every file again", self.path, exc)
            return {}
        return records


def _remove_orphans(path: Path):
    """Temporary files of builds that died before saving (an author's typo)."""
    for leftover in path.parent.glob(f"{path.name}.*.tmp"):
        pid = leftover.name[len(path.name) + 1:-len(".tmp")]
        if pid.isdigit() and not _running(int(pid)):
            leftover.unlink(missing_ok=True)


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def use_stream_cache(readers):
    cache = StreamCache(readers)
    readers.get_cached_data = cache.get
    readers.cache_data = cache.put
    readers.save_cache = cache.save


def register():
    signals.readers_init.connect(use_stream_cache)
