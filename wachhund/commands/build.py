"""Build the site into a temporary directory and swap it in only on success.

Usage: python -m wachhund.commands.build [-s pelicanconf.py] [-o output] [extra pelican args]

A failed build (bad post, bad YAML, missing template) exits non-zero and leaves
the previous output/ exactly as it was. So does an output location that cannot
be written (read-only, full, not a folder), with one line saying so.
"""

import argparse
import errno
import logging
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path.cwd()  # default project: the folder `make` runs in


class AuthorFormatter(logging.Formatter):
    """Messages without Python tracebacks: our errors already say file:line.

    Set WACHHUND_DEBUG=1 to see the tracebacks.
    """

    def format(self, record):
        text = record.getMessage()
        if record.exc_info:
            if os.environ.get("WACHHUND_DEBUG"):
                text += "\n" + self.formatException(record.exc_info)
            elif str(record.exc_info[1]) not in text:
                text += "\n  " + str(record.exc_info[1])
        return text


class DropNoise(logging.Filter):
    # Pelican's --fatal mechanism logs this after the real error; it says nothing new.
    def filter(self, record):
        return "Warning or error encountered" not in record.getMessage()


# Errors that only writing gives: the disk or quota is full, the file system is read-only.
WRITE_ERRNOS = {errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EFBIG}


class WriteFailures(logging.Filter):
    """Keeps (and silences) what Pelican logs when writing the site fails, so the build
    can say it in one line instead of a Python error name and its arguments."""

    def __init__(self):
        super().__init__()
        self.caught = None

    def filter(self, record):
        error = record.exc_info[1] if record.exc_info else None
        if isinstance(error, OSError) and error.errno in WRITE_ERRNOS:
            self.caught = error
            return False
        return True


WRITE_FAILURES = WriteFailures()


def setup_logging() -> None:
    root = logging.getLogger()
    if any(getattr(h, "_wachhund", False) for h in root.handlers):
        return
    handler = logging.StreamHandler(sys.stderr)
    handler._wachhund = True
    handler.setFormatter(AuthorFormatter())
    handler.addFilter(DropNoise())
    handler.addFilter(WRITE_FAILURES)
    root.addHandler(handler)


def unwritable(output: Path, error: OSError) -> int:
    """The one message for an output location that cannot be written; nothing was replaced."""
    where = error.filename if error.filename and f"/.{output.name}-build-" not in str(error.filename) \
        else output.parent
    print(f"{output.name}/ kann nicht geschrieben werden: {error.strerror or error} ({where}); "
          f"das bisherige {output.name}/ bleibt unverändert", file=sys.stderr)
    return 1


def build(settings: str, output: Path, extra: list[str]) -> int:
    import pelican

    setup_logging()
    root = Path(settings).resolve().parent  # the project is where its settings are

    output = output.resolve()
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
        remove_leftovers(output, root)
        # The PID in the name lets a later build tell a killed build's folder from a running one's.
        staging = Path(tempfile.mkdtemp(prefix=f".{output.name}-build-{os.getpid()}-", dir=output.parent))
    except (FileExistsError, NotADirectoryError):  # a file where a folder should be: name that file
        blocker = next((p for p in [*reversed(output.parent.parents), output.parent] if p.is_file()), output.parent)
        return unwritable(output, NotADirectoryError(errno.ENOTDIR, os.strerror(errno.ENOTDIR), str(blocker)))
    except OSError as exc:  # read-only or full
        return unwritable(output, exc)
    argv = [
        str(root / "content"),
        "-s", settings,
        "-o", str(staging),
        "--fatal", "errors",
        "--log-handler", "plain",
        *extra,
    ]
    WRITE_FAILURES.caught = None
    try:
        try:
            pelican.main(argv)
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 1
        except Exception as exc:  # noqa: BLE001 - anything here means "no new site"
            if isinstance(exc, OSError) and exc.errno in WRITE_ERRNOS:
                WRITE_FAILURES.caught = exc
            else:
                print(f"Build fehlgeschlagen / build failed: {exc}", file=sys.stderr)
            code = 1
        if code != 0 and WRITE_FAILURES.caught is not None:
            return unwritable(output, WRITE_FAILURES.caught)
        if code != 0:
            print(
                f"Build failed; the previous {output.name}/ was left unchanged.",
                file=sys.stderr,
            )
            return code
        try:
            swap(staging, output)
        except OSError as exc:
            return unwritable(output, exc)
        return 0
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def swap(new: Path, target: Path) -> None:
    """Put `new` in place of `target` atomically: a server reading `target` sees
    the old site or the new one, never no site."""
    os.chmod(new, 0o755)
    if target.exists() and exchange(new, target):
        old = new  # after the exchange, the staging name holds the previous site
        discard(old.rename(old_name(target)))
        return
    old = None
    if target.exists():  # no atomic exchange here (not Linux, or the file system refuses)
        old = old_name(target)
        target.rename(old)
    try:
        new.rename(target)
    except OSError:
        if old is not None:
            old.rename(target)  # the previous site back where it was
        raise
    if old is not None:
        discard(old)


def old_name(target: Path) -> Path:
    """A fresh name for a previous site on its way out (an older one may still be being deleted)."""
    return target.with_name(f".{target.name}-old-{os.getpid()}-{time.monotonic_ns()}")


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one system call (Linux renameat2 RENAME_EXCHANGE)."""
    if not sys.platform.startswith("linux"):
        return False
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:
        return False
    result = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    return result == 0


def remove_leftovers(output: Path, root: Path) -> None:
    """What killed or interrupted builds left: staging folders whose build process
    is gone, previous sites not yet deleted, and the content cache of older versions."""
    for stale in output.parent.glob(f".{output.name}-build-*"):
        pid = stale.name[len(f".{output.name}-build-"):].split("-", 1)[0]
        if not (pid.isdigit() and running(int(pid))):
            shutil.rmtree(stale, ignore_errors=True)
    for stale in output.parent.glob(f".{output.name}-old-*"):
        discard(stale)
    legacy_cache = root / "cache"  # Pelican's content cache, no longer used (correctness first)
    if legacy_cache.is_dir():
        shutil.rmtree(legacy_cache, ignore_errors=True)


def running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def discard(folder: Path) -> None:
    """Delete `folder` in a detached process: the new site is already in place,
    so nobody should wait for thousands of unlinks (seconds on a large blog)."""
    subprocess.Popen(
        [sys.executable, "-c", "import shutil, sys; shutil.rmtree(sys.argv[1], ignore_errors=True)", str(folder)],
        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-s", "--settings", default=str(ROOT / "pelicanconf.py"))
    parser.add_argument("-o", "--output", default=str(ROOT / "output"))
    args, extra = parser.parse_known_args(argv)
    settings = Path(args.settings).resolve()
    os.chdir(settings.parent)
    return build(str(settings), Path(args.output).resolve(), extra)


if __name__ == "__main__":
    sys.exit(main())
