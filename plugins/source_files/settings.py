"""The Pelican settings this plugin relies on, read and checked in one place.

It has no options of its own (the allowed file types are a policy, not a
setting: see static_types.py). It checks that the settings which name folders
keep them where the trees it walks are, so nothing outside content/, theme/
and data/ can be named into the site.
"""

import os
from dataclasses import dataclass
from pathlib import Path

from wachhund.lib.settings import boolean, fail, path_part, strings


@dataclass(frozen=True)
class SourceSettings:
    project: Path  # the folder content/ lies in; paths in messages are relative to it
    content: Path  # Pelican's PATH
    theme: Path
    data: Path
    ignore: tuple  # IGNORE_FILES: names Pelican never reads or copies (editor lock files, .DS_Store)


def inside(label: str, value, root: str, allow_root: bool = True) -> str:
    """A folder setting relative to its root that stays inside it (no '..', not absolute)."""
    if value == "" and allow_root:  # Pelican reads "" as the root itself
        return value
    path_part(label, value)
    if os.path.isabs(value) or ".." in Path(value).parts:
        fail(label, f"a folder inside {root}/", value)
    return value


def get_settings(settings: dict) -> SourceSettings:
    content = Path(settings["PATH"]).absolute()
    project = content.parent
    for name in ("ARTICLE_PATHS", "PAGE_PATHS", "STATIC_PATHS"):
        for value in strings(name, settings.get(name, [])):
            inside(f"{name} entry", value, content.name)
    theme = Path(settings["THEME"]).absolute()
    for value in strings("THEME_STATIC_PATHS", settings.get("THEME_STATIC_PATHS", ["static"])):
        inside("THEME_STATIC_PATHS entry", value, theme.name)
    # Linking instead of copying would put links to the sources into output/ (and so into the upload).
    if boolean("STATIC_CREATE_LINKS", settings.get("STATIC_CREATE_LINKS", False)):
        fail("STATIC_CREATE_LINKS", "False (static files are copied, never linked)", True)
    data = project / inside("DATA_PATH", settings.get("DATA_PATH", "data"), "the project", allow_root=False)
    return SourceSettings(
        project=project,
        content=content,
        theme=theme,
        data=data,
        ignore=strings("IGNORE_FILES", settings.get("IGNORE_FILES", [])),
    )
