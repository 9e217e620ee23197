"""The walk over content/, theme/ and data/: regular files and folders only.

A symbolic link would let a committed file name anything on the machine that
builds the site (``content/extra/key.txt -> ~/.ssh/deploy_key``) and Pelican
follows links when it reads and copies. The walk never follows one: it
reports it. Names Pelican ignores (IGNORE_FILES: editor lock files, which
Emacs makes as dangling links, .DS_Store) are skipped, as Pelican skips them.
"""

import os
import stat
from fnmatch import fnmatch
from pathlib import Path

KINDS = {stat.S_IFIFO: "a named pipe", stat.S_IFSOCK: "a socket", stat.S_IFCHR: "a device", stat.S_IFBLK: "a device"}


def symlink_problem(path: str, root_name: str) -> str:
    try:
        target = os.readlink(path)
    except OSError:
        target = "?"
    what = "folder" if os.path.isdir(path) else "file"
    return (f"is a symbolic link (to {target}); only regular files inside {root_name}/ "
            f"are read into the site — copy the {what} instead")


def other_problem(mode: int, root_name: str) -> str:
    kind = KINDS.get(stat.S_IFMT(mode), "not a regular file")
    return f"is {kind}; only regular files inside {root_name}/ are read into the site"


def ignored(name: str, ignore) -> bool:
    return any(fnmatch(name, pattern) for pattern in ignore)


def walk(root: Path, ignore) -> list:
    """[(absolute path, problem)] for every link or special file under `root`, without following links."""
    root_name = root.name
    if os.path.islink(root):
        return [(str(root), symlink_problem(str(root), root_name))]
    if not root.is_dir():
        return []
    problems, folders = [], [str(root)]
    while folders:
        with os.scandir(folders.pop()) as entries:
            for entry in entries:
                if ignored(entry.name, ignore):
                    continue
                if entry.is_symlink():
                    problems.append((entry.path, symlink_problem(entry.path, root_name)))
                elif entry.is_dir(follow_symlinks=False):
                    folders.append(entry.path)
                elif not entry.is_file(follow_symlinks=False):
                    problems.append((entry.path, other_problem(entry.stat(follow_symlinks=False).st_mode, root_name)))
    return sorted(problems)


def outside(absolute: str, content) -> bool:
    """Whether a normalised absolute path lies outside `content`."""
    return not absolute.startswith(os.path.join(content, ""))


def read_problem(path: str, content: str) -> tuple | None:
    """(path, why) if Pelican must not read `path` (a post, page or static file), else None.
    The walk has seen every folder; this covers a `{static}../…` link out of
    content/ and a file that became a link after the walk. One lstat: 1,000 posts
    would pay 0.1 s for resolving every path component again."""
    absolute, name = os.path.abspath(path), os.path.basename(content)
    try:
        mode = os.lstat(absolute).st_mode
    except FileNotFoundError:
        return None  # Pelican reports a missing file itself and has nothing to copy
    if outside(absolute, content):
        return absolute, f"lies outside {name}/; only regular files inside {name}/ are published"
    if stat.S_ISLNK(mode):
        return absolute, symlink_problem(absolute, name)
    return None if stat.S_ISREG(mode) else (absolute, other_problem(mode, name))
