"""Write the security headers nginx sends, for the site's public address.

`deploy/security-headers.conf` is the template; its Content-Security-Policy lets scripts
run only from the site's own /theme/js/ and /pagefind/, which must name the address (a
path in a CSP source needs its origin). `make publish` runs
`python -m wachhund.commands.headers publishconf.py deploy/generated/security-headers.conf`;
the browser and nginx tests render the same template for their own servers.
"""

import re
import sys
from pathlib import Path
from urllib.parse import urlsplit

from wachhund.lib.files import write_atomic
from wachhund.lib.net import is_http_url  # the project's one URL rule

TEMPLATE = Path(__file__).resolve().parents[2] / "deploy" / "security-headers.conf"  # this repository's deploy/
PLACEHOLDER = "@SITEURL@"
# What may stand in a CSP source without ending it (";", ",", blanks, quotes) or
# meaning something else ("*"): host, optional port, a plain path.
_CSP_SAFE = re.compile(r"https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?(/[A-Za-z0-9._~-]+)*/?")


class HeaderError(ValueError):
    pass


def check_siteurl(siteurl) -> str:
    """The address without a trailing slash, or HeaderError saying what was expected."""
    expected = "expected an absolute http(s) address like https://wachhund.example.org (no query, no user, no '*')"
    if not isinstance(siteurl, str) or not siteurl:
        raise HeaderError(f"SITEURL is empty: {expected}")
    parts = urlsplit(siteurl)
    if (not is_http_url(siteurl) or parts.username or parts.password or parts.query or parts.fragment
            or not _CSP_SAFE.fullmatch(siteurl)):
        raise HeaderError(f"SITEURL {siteurl!r} cannot stand in a Content-Security-Policy: {expected}")
    return siteurl.rstrip("/")


def render(siteurl: str, template: Path = TEMPLATE) -> str:
    text = template.read_text(encoding="utf-8")
    if PLACEHOLDER not in text:
        raise HeaderError(f"{template}: no {PLACEHOLDER} in the template")
    siteurl = check_siteurl(siteurl)
    note = f"# Written by `make headers` for {siteurl}: edit deploy/security-headers.conf, not this file.\n"
    return note + text.replace(PLACEHOLDER, siteurl)


def parse(text: str) -> list[tuple[str, str]]:
    """(name, value) of every `add_header NAME "VALUE" always;` line."""
    return re.findall(r'^add_header\s+(\S+)\s+"([^"]*)"\s+always;', text, re.M)


def headers_for(siteurl: str) -> list[tuple[str, str]]:
    """The headers production sends, for a site at `siteurl` (a test server's origin, say)."""
    return parse(render(siteurl))


def siteurl_of(settings_file: str) -> str:
    from pelican.settings import read_settings

    return read_settings(settings_file).get("SITEURL", "")


def main(argv=None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 2:
        print("usage: python -m wachhund.commands.headers SETTINGS_FILE OUTPUT_FILE", file=sys.stderr)
        return 2
    settings_file, target = args
    try:
        text = render(siteurl_of(settings_file))
    except HeaderError as error:
        print(f"{settings_file}: {error}", file=sys.stderr)
        return 1
    write_atomic(Path(target), text)  # one rename: nginx never reads half a file
    return 0


if __name__ == "__main__":
    sys.exit(main())
