"""Author files in a real browser (issue 22, item 2): served by nginx as production
serves them (Debian's mime.types, `charset utf-8`, deploy/security-headers.conf rendered
for the server's origin by wachhund/commands/headers.py) and opened directly in chromium.

- The types the build refuses do run there: an HTML page and an SVG image load a
  script from a path the CSP admits (/theme/js/: the theme's own scripts are there, so
  such a page could call them), which is why they are refused.
- The build refuses them; every file it does publish from content/, each filled
  with the same hostile bytes, makes chromium run nothing and request nothing.
"""

import os
import shutil
import socket
import subprocess
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.support import CHROMIUM, ROOT, build_site, copy_project, launch_chromium

from wachhund.commands.headers import render  # what `make publish` runs

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
MIME_TYPES = Path("/etc/nginx/mime.types")

playwright_api = pytest.importorskip("playwright.sync_api", reason="pip package playwright missing")
if not CHROMIUM.exists():
    pytest.skip("Debian's chromium is not installed: apt-get install chromium", allow_module_level=True)
if not (Path(NGINX).exists() and MIME_TYPES.exists()):
    pytest.skip("nginx is not installed: apt-get install nginx-light", allow_module_level=True)

# A script where the CSP lets scripts run (the theme's folder): what an attacker's page would load.
RAN_JS = b"fetch('/beacon/script-ran?' + encodeURIComponent(location.pathname));\n"
# Parsed as HTML or SVG, each of these asks for a /beacon/ address: the image at once,
# the script by running.
HOSTILE_HTML = (b'<!doctype html><html><head><title>x</title><script src="/theme/js/ran.js"></script></head>'
                b'<body><img src="/beacon/html-img" alt="">'
                b'<svg xmlns="http://www.w3.org/2000/svg"><image href="/beacon/html-svg-img"/></svg></body></html>\n')
HOSTILE_SVG = (b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
               b'width="10" height="10"><script href="/theme/js/ran.js"/>'
               b'<image href="/beacon/svg-img" width="10" height="10"/></svg>\n')

REFUSED = {"extra/bericht.html": HOSTILE_HTML, "images/grafik.svg": HOSTILE_SVG}
# Every allowed type, and the spellings that matter, each holding hostile bytes.
ALLOWED = {
    "images/bild.png": HOSTILE_HTML, "images/FOTO.PNG": HOSTILE_HTML, "images/grafik.svg.png": HOSTILE_SVG,
    "images/foto.jpg": HOSTILE_SVG, "images/foto.jpeg": HOSTILE_HTML, "images/anim.gif": HOSTILE_SVG,
    "images/foto.webp": HOSTILE_HTML, "images/foto.avif": HOSTILE_SVG,
    "extra/bericht.pdf": HOSTILE_HTML, "extra/notiz.txt": HOSTILE_HTML, "extra/svg.txt": HOSTILE_SVG,
    "extra/daten.json": HOSTILE_HTML, "extra/tabelle.csv": HOSTILE_HTML, "extra/archiv.zip": HOSTILE_HTML,
    "extra/brief.docx": HOSTILE_HTML, "extra/tabelle.xlsx": HOSTILE_HTML, "extra/folien.pptx": HOSTILE_SVG,
    "extra/brief.odt": HOSTILE_HTML, "extra/tabelle.ods": HOSTILE_HTML, "extra/folien.odp": HOSTILE_SVG,
}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    """`make publish` of the project with the hostile files: refused with the two that
    can run, then published with the allowed ones."""
    base = tmp_path_factory.mktemp("hostile")
    project = copy_project(base / "project")
    for relative, data in {**REFUSED, **ALLOWED}.items():
        (project / "content" / relative).parent.mkdir(parents=True, exist_ok=True)
        (project / "content" / relative).write_bytes(data)
    first = build_site(project, base / "refused", settings="publishconf.py")
    for relative in REFUSED:
        (project / "content" / relative).unlink()
    second = build_site(project, base / "output", settings="publishconf.py")
    return first, second, base / "output"


@pytest.fixture(scope="module")
def nginx(tmp_path_factory, published):
    """nginx on 127.0.0.1 serving the published site, plus the refused files in /control/
    (outside the build, to show what they would do) and a same-origin script."""
    _, second, output = published
    assert second.returncode == 0, second.stderr[-2000:]
    base = tmp_path_factory.mktemp("nginx")
    root = base / "root"
    shutil.copytree(output, root)
    (root / "theme" / "js" / "ran.js").write_bytes(RAN_JS)
    for relative, data in REFUSED.items():
        (root / "control" / relative).parent.mkdir(parents=True, exist_ok=True)
        (root / "control" / relative).write_bytes(data)
    port = free_port()
    headers = base / "security-headers.conf"
    headers.write_text(render(f"http://127.0.0.1:{port}"), encoding="utf-8")
    temp = base / "temp"
    temp.mkdir()
    user = "user root root;\n" if os.geteuid() == 0 else ""  # workers must read the 0700 temp folders
    (base / "nginx.conf").write_text(
        f"{user}daemon off;\nworker_processes 1;\npid {base}/nginx.pid;\nerror_log {base}/error.log;\n"
        "events { worker_connections 64; }\n"
        "http {\n"
        f"  include {MIME_TYPES};\n  default_type application/octet-stream;\n  access_log off;\n"
        + "".join(f"  {kind}_temp_path {temp}/{kind};\n" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
        + f"  server {{\n    listen 127.0.0.1:{port};\n    root {root};\n    charset utf-8;\n"
        f"    include {headers};\n  }}\n}}\n",
        encoding="utf-8",
    )
    process = subprocess.Popen([NGINX, "-c", str(base / "nginx.conf"), "-p", str(base)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 10
    while True:  # ready when the port accepts a connection
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            assert process.poll() is None, process.stderr.read().decode()
            assert time.monotonic() < deadline, "nginx did not start"
            time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture(scope="module")
def browser():
    with playwright_api.sync_playwright() as p:
        instance = launch_chromium(p)
        yield instance
        instance.close()


def open_directly(browser, url):
    """Open `url` as a reader who follows a link to it; return every path the page requested after it."""
    context = browser.new_context(accept_downloads=True)
    page = context.new_page()
    requested = []
    page.on("request", lambda request: requested.append(urlsplit(request.url).path))
    try:
        page.goto(url, wait_until="networkidle")
    except playwright_api.Error as error:  # office files, ZIP, CSV: the browser downloads them
        assert "Download is starting" in str(error) or "ERR_ABORTED" in str(error), str(error)
    context.close()
    return requested


def test_the_build_refuses_what_would_run(published):
    first, _, _ = published
    assert first.returncode != 0
    for relative in REFUSED:
        assert f"content/{relative}: '.{relative.rsplit('.', 1)[1]}' files are not published" in first.stderr


@pytest.mark.parametrize("relative", sorted(REFUSED))
def test_a_refused_type_would_run_under_the_production_headers(browser, nginx, relative):
    """The detector works: the same bytes as .html or .svg load the same-origin script,
    and it runs (its request arrives)."""
    requested = open_directly(browser, f"{nginx}/control/{relative}")
    assert "/theme/js/ran.js" in requested and "/beacon/script-ran" in requested, requested


@pytest.mark.parametrize("relative", sorted(ALLOWED))
def test_a_published_author_file_runs_nothing(browser, nginx, relative):
    requested = open_directly(browser, f"{nginx}/{relative}")
    assert requested[0] == f"/{relative}"
    assert not [path for path in requested if path.startswith("/beacon/") or path.endswith("/ran.js")], requested
