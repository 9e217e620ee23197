"""FEDIVERSE_CREATOR, REL_ME and ABOUT_PAGE, checked in one place; templates read only
the checked `FEDIVERSE` (a Fediverse), never the raw settings."""

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from wachhund.lib.net import is_http_url
from wachhund.lib.settings import fail, path_part

# @user@host as Mastodon shows it: a user name of letters, digits, "_" (other servers
# allow "." and "-" inside), and a host name with at least one dot.
HANDLE = re.compile(r"@(?P<user>[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_])?)@(?P<host>[A-Za-z0-9.-]+)")


@dataclass(frozen=True)
class Fediverse:
    creator: str  # "@user@host", or "" (no fediverse:creator tag)
    rel_me: tuple  # profile URLs that link back to the blog (rel="me")
    about_page: str  # slug of the page that lists them besides the footer

    def shown(self, url: str) -> str:
        """A profile URL without its scheme, as a link text: social.example/@wachhund."""
        parts = urlsplit(url)
        return (parts.netloc + parts.path).rstrip("/")


def get_settings(settings: dict) -> Fediverse:
    creator = settings.get("FEDIVERSE_CREATOR") or ""
    if creator:
        match = HANDLE.fullmatch(creator) if isinstance(creator, str) else None
        if not match or "." not in match["host"] or not is_http_url(f"https://{match['host']}/"):
            fail("FEDIVERSE_CREATOR", "a fediverse handle like '@wachhund@social.example' (or empty)", creator)
    rel_me = settings.get("REL_ME") or []
    if not isinstance(rel_me, (list, tuple)) or not all(
            isinstance(url, str) and is_http_url(url) and url.startswith("https://") for url in rel_me):
        fail("REL_ME", "a list of https profile URLs like ['https://social.example/@wachhund']", rel_me)
    about = path_part("ABOUT_PAGE", settings.get("ABOUT_PAGE", "ueber-dieses-blog"))
    return Fediverse(creator=creator, rel_me=tuple(rel_me), about_page=about)
