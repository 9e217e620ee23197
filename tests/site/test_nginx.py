"""deploy/nginx.conf in Debian's real nginx: every kind of response the published site
gives carries the whole security header set and its own media type.

The test runs the production file itself, with only its paths, ports and certificate
swapped for the test's (each swap must find its text, so the file cannot drift away
from what is tested), on 127.0.0.1 with a certificate made for the test."""

import contextlib
import getpass
import gzip
import http.client
import shutil
import socket
import ssl
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.support import CHROMIUM, ROOT, build_site, copy_project, launch_chromium

NGINX = Path("/usr/sbin/nginx")
MIME_TYPES = Path("/etc/nginx/mime.types")
OPENSSL = shutil.which("openssl")
HOST = "wachhund.example.org"
BROTLI_MODULE = Path("/usr/lib/nginx/modules/ngx_http_brotli_static_module.so")  # libnginx-mod-http-brotli-static
SIX = ("Content-Security-Policy", "Strict-Transport-Security", "X-Content-Type-Options",
       "Referrer-Policy", "X-Frame-Options", "Permissions-Policy")

from wachhund.commands import headers  # what `make publish` runs

needs_nginx = pytest.mark.skipif(
    not (NGINX.exists() and MIME_TYPES.exists() and OPENSSL),
    reason="Debian's nginx or openssl missing: apt-get install nginx-light openssl (.ci/run does)",
)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def swap(text: str, old: str, new: str) -> str:
    assert text.count(old) >= 1, f"deploy/nginx.conf no longer has {old!r}: update the test's swaps"
    return text.replace(old, new)


@pytest.fixture(scope="module")
def ports():
    """(https, http): chosen before the build, since SITEURL names the https one."""
    return free_port(), free_port()


@pytest.fixture(scope="module")
def siteurl(ports):
    return f"https://127.0.0.1:{ports[0]}"


@pytest.fixture(scope="module")
def published(tmp_path_factory, siteurl):
    """The site as `make publish` makes it for `siteurl` (plus one image, which the content
    has none of), and the header file `make publish` writes beside it."""
    from PIL import Image

    base = tmp_path_factory.mktemp("published")
    project = copy_project(base / "project")
    (project / "content/images").mkdir(parents=True, exist_ok=True)
    Image.new("RGB", (4, 4), (200, 30, 30)).save(project / "content/images/probe.png")
    out = base / "output"
    result = build_site(project, out, settings="publishconf.py", env={"WACHHUND_SITEURL": siteurl})
    assert result.returncode == 0, result.stderr
    generated = base / "generated/security-headers.conf"
    made = subprocess.run([sys.executable, "-m", "wachhund.commands.headers", str(project / "publishconf.py"), str(generated)],
                          capture_output=True, text=True, env={"WACHHUND_SITEURL": siteurl, "PATH": "/usr/bin:/bin"})
    assert made.returncode == 0, made.stderr
    return out, generated


@dataclass(frozen=True)
class Server:
    https_port: int
    http_port: int
    cert: Path


@contextlib.contextmanager
def running_nginx(prefix: Path, out: Path, generated: Path, https_port: int, http_port: int, brotli: bool = False):
    """Debian's nginx serving `out` with deploy/nginx.conf (and deploy/brotli.conf if `brotli`)."""
    cert, key = prefix / "cert.pem", prefix / "key.pem"
    subprocess.run([OPENSSL, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                    "-keyout", str(key), "-out", str(cert), "-days", "1", "-subj", f"/CN={HOST}",
                    "-addext", f"subjectAltName=DNS:{HOST},IP:127.0.0.1"], check=True, capture_output=True)
    site = (ROOT / "deploy/nginx.conf").read_text(encoding="utf-8")
    site = swap(site, "listen 443 ssl http2;", f"listen 127.0.0.1:{https_port} ssl http2;")
    site = swap(site, "listen 80;", f"listen 127.0.0.1:{http_port};")
    site = swap(site, "root /var/www/wachhund;", f"root {out};")
    site = swap(site, "/etc/letsencrypt/live/wachhund.example.org/fullchain.pem", str(cert))
    site = swap(site, "/etc/letsencrypt/live/wachhund.example.org/privkey.pem", str(key))
    site = swap(site, "/etc/nginx/snippets/wachhund-security-headers.conf", str(generated))
    site = swap(site, "/etc/nginx/snippets/wachhund-brotli*.conf", str(prefix / "wachhund-brotli*.conf"))
    (prefix / "site.conf").write_text(site, encoding="utf-8")
    if brotli:  # what the operator does where the module is installed
        shutil.copy2(ROOT / "deploy/brotli.conf", prefix / "wachhund-brotli.conf")
    temp = "\n".join(f"    {name}_temp_path {prefix / name};" for name in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    # What Debian's /etc/nginx/nginx.conf gives a site (mime.types, modules), run as this user in the foreground.
    (prefix / "nginx.conf").write_text(
        (f"load_module {BROTLI_MODULE};\n" if brotli else "")
        + f"user {getpass.getuser()};\ndaemon off;\nworker_processes 1;\npid {prefix / 'nginx.pid'};\n"
        f"error_log {prefix / 'error.log'} warn;\nevents {{ worker_connections 64; }}\n"
        f"http {{\n    include {MIME_TYPES};\n    default_type application/octet-stream;\n    access_log off;\n{temp}\n"
        f"    include {prefix / 'site.conf'};\n}}\n", encoding="utf-8")
    command = [str(NGINX), "-p", str(prefix), "-c", str(prefix / "nginx.conf"), "-e", str(prefix / "error.log")]
    checked = subprocess.run([*command, "-t"], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stderr
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 30
        while True:  # until it listens (or has died)
            try:
                socket.create_connection(("127.0.0.1", https_port), timeout=1).close()
                break
            except OSError:
                assert server.poll() is None, server.stderr.read().decode()
                assert time.monotonic() < deadline, "nginx did not listen within 30 s"
                time.sleep(0.05)
        yield Server(https_port, http_port, cert)
    finally:
        server.terminate()  # SIGTERM: fast shutdown of master and worker
        server.wait(timeout=30)
        server.stderr.close()


@pytest.fixture(scope="module")
def nginx(published, ports, tmp_path_factory):
    """The production configuration as shipped: no brotli module."""
    out, generated = published
    with running_nginx(tmp_path_factory.mktemp("nginx"), out, generated, *ports) as server:
        yield server


def get(server: Server, path: str, tls: bool = True, accept_encoding: str | None = None):
    if tls:
        context = ssl.create_default_context(cafile=str(server.cert))  # made for 127.0.0.1
        connection = http.client.HTTPSConnection("127.0.0.1", server.https_port, context=context, timeout=10)
    else:
        connection = http.client.HTTPConnection("127.0.0.1", server.http_port, timeout=10)
    request_headers = {"Host": HOST}
    if accept_encoding:
        request_headers["Accept-Encoding"] = accept_encoding
    connection.request("GET", path, headers=request_headers)
    response = connection.getresponse()
    body = response.read()
    connection.close()
    return response, body


def expected_headers(generated: Path) -> dict:
    return dict(headers.parse(generated.read_text(encoding="utf-8")))


def assert_all_six(response, generated: Path, what: str) -> None:
    """All six headers, each once, with the values of the header file `make publish` wrote."""
    sent = {name: response.headers.get_all(name) or [] for name in SIX}
    assert [name for name, values in sent.items() if len(values) != 1] == [], f"{what}: missing or repeated"
    assert {name: values[0] for name, values in sent.items()} == expected_headers(generated), what


# path -> (status, media type): one of each kind of file the site has, and the errors.
RESPONSES = {
    "/": (200, "text/html"),
    "/impressum/": (200, "text/html"),
    "/theme/css/wachhund.css": (200, "text/css"),
    "/theme/js/suche.js": (200, "application/javascript"),
    "/pagefind/pagefind-ui.js": (200, "application/javascript"),
    "/theme/favicon.svg": (200, "image/svg+xml"),
    "/images/probe.png": (200, "image/png"),
    "/feeds/alle.atom.xml": (200, "application/atom+xml"),
    "/feeds/alle.rss.xml": (200, "application/rss+xml"),
    "/feeds/alle/": (200, "text/html"),
    "/ozg/nrw.json": (200, "application/json"),
    "/ozg/nrw.csv": (200, "text/csv"),
    "/robots.txt": (200, "text/plain"),
    "/gibt-es-nicht/": (404, "text/html"),
    "/gibt-es-nicht.css": (404, "text/html"),
    "/feeds/gibt-es-nicht.atom.xml": (404, "text/html"),
    "/impressum": (301, "text/html"),  # nginx's redirect to the folder
    "/suche/?q=OZG%2FNRW": (200, "text/html"),  # an encoded slash in the query is just a search
    # A script address that passes the CSP's path check (browsers compare it decoded) but
    # that nginx, decoding too, would serve from elsewhere: refused.
    "/theme/js/..%2f..%2fozg/nrw.json": (400, "text/html"),
    "/pagefind/..%2F..%2Fozg/nrw.json": (400, "text/html"),
    "/theme/js/%2e%2e/%2e%2e/ozg/nrw.json": (400, "text/html"),
    "/theme/js/..%5c..%5cozg/nrw.json": (400, "text/html"),
}


@needs_nginx
@pytest.mark.parametrize("path", list(RESPONSES))
def test_every_response_has_all_security_headers_and_its_media_type(nginx, published, path):
    out, generated = published
    status, media_type = RESPONSES[path]
    response, body = get(nginx, path)
    assert response.status == status, (path, response.status)
    assert response.getheader("Content-Type", "").split(";")[0] == media_type
    assert_all_six(response, generated, path)
    if status == 404:
        assert body == (out / "404.html").read_bytes()  # our 404 page, whatever was asked for
    elif status == 200:
        path = path.split("?")[0]
        file = out / path.strip("/") / ("index.html" if path.endswith("/") else "")
        assert body == file.read_bytes()


@needs_nginx
@pytest.mark.parametrize("path, file", [("/", "index.html"), ("/theme/css/wachhund.css", None), ("/theme/js/suche.js", None),
                                        ("/feeds/alle.atom.xml", None), ("/feeds/alle.rss.xml", None), ("/ozg/nrw.json", None)])
def test_precompressed_gzip_copy_is_served_with_the_headers(nginx, published, path, file):
    out, generated = published
    file = out / (file or path.strip("/"))
    response, body = get(nginx, path, accept_encoding="gzip")
    assert response.status == 200
    assert response.getheader("Content-Encoding") == "gzip"
    assert body == Path(f"{file}.gz").read_bytes()  # the copy `make publish` wrote, not compressed on the fly
    assert gzip.decompress(body) == file.read_bytes()
    assert response.getheader("Content-Type", "").split(";")[0] == RESPONSES[path][1]
    assert_all_six(response, generated, path)
    plain, plain_body = get(nginx, path)  # a client that takes no gzip gets the file itself
    assert plain.getheader("Content-Encoding") is None and plain_body == file.read_bytes()
    either, either_body = get(nginx, path, accept_encoding="br, gzip")  # no brotli module: the .gz copy
    assert either.getheader("Content-Encoding") == "gzip" and either_body == body


@needs_nginx
@pytest.mark.skipif(not BROTLI_MODULE.exists(), reason="nginx's brotli module missing: apt-get install libnginx-mod-http-brotli-static")
def test_with_the_brotli_module_the_br_copies_are_served_with_the_headers(published, tmp_path):
    out, generated = published
    with running_nginx(tmp_path, out, generated, free_port(), free_port(), brotli=True) as server:
        for path, file, media_type in (("/", "index.html", "text/html"), ("/theme/css/wachhund.css", None, "text/css"),
                                       ("/feeds/alle.atom.xml", None, "application/atom+xml")):
            file = out / (file or path.strip("/"))
            response, body = get(server, path, accept_encoding="br, gzip")
            assert response.getheader("Content-Encoding") == "br"
            assert body == Path(f"{file}.br").read_bytes()
            assert response.getheader("Content-Type", "").split(";")[0] == media_type
            assert_all_six(response, generated, path)
            response, body = get(server, path, accept_encoding="gzip")  # a client without brotli
            assert response.getheader("Content-Encoding") == "gzip" and body == Path(f"{file}.gz").read_bytes()


@needs_nginx
def test_plain_http_redirects_to_https_with_the_headers(nginx, published):
    _, generated = published
    response, _ = get(nginx, "/impressum/?x=1", tls=False)
    assert response.status == 301
    assert response.getheader("Location") == f"https://{HOST}/impressum/?x=1"
    assert_all_six(response, generated, "http://…/impressum/?x=1")


def test_csp_lets_scripts_run_only_from_our_two_paths(published, siteurl):
    _, generated = published
    assert sorted(expected_headers(generated)) == sorted(SIX)
    csp = expected_headers(generated)["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in csp.split(";"))
    assert directives["script-src"].split() == [f"{siteurl}/theme/js/", f"{siteurl}/pagefind/", "'wasm-unsafe-eval'"]
    assert "unsafe-inline" not in csp and "'unsafe-eval'" not in csp
    assert expected_headers(generated)["Strict-Transport-Security"].startswith("max-age=")


@pytest.mark.parametrize("siteurl", ["", "https://x.org; script-src *", "https://x.org/ 'unsafe-inline'", "javascript:alert(1)",
                                     "https://*.example.org", "https://user@x.org", "https://x.org/?q=1", "ftp://x.org"])
def test_a_siteurl_that_would_break_the_csp_is_refused(siteurl):
    with pytest.raises(headers.HeaderError, match="SITEURL"):
        headers.render(siteurl)


def test_header_file_names_the_site_address_with_a_path(tmp_path):
    text = headers.render("https://example.org/blog/")
    assert "script-src https://example.org/blog/theme/js/ https://example.org/blog/pagefind/ 'wasm-unsafe-eval';" in text
    settings = tmp_path / "conf.py"
    settings.write_text('SITEURL = "https://example.org; x"\n', encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "wachhund.commands.headers", str(settings), str(tmp_path / "h.conf")],
                            capture_output=True, text=True)
    assert result.returncode == 1 and f"{settings}: SITEURL" in result.stderr
    assert not (tmp_path / "h.conf").exists()


@needs_nginx
@pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed: apt-get install chromium")
def test_in_chromium_through_nginx_our_scripts_run_and_no_other(nginx, published, siteurl):
    """The published site through production nginx in a real browser: the pages and the
    search run under the CSP without one violation; a script elsewhere in the output, also
    one addressed as /theme/js/..%2f..%2fextra/… (which passes the CSP's path check), does not."""
    playwright_api = pytest.importorskip("playwright.sync_api", reason="pip package playwright missing")
    out, _ = published
    (out / "extra").mkdir(exist_ok=True)
    (out / "extra/fremd.js").write_text("window.ran.push('fremd');\n", encoding="utf-8")
    (out / "extra/probe.html").write_text(
        '<!doctype html><html lang="de"><head><meta charset="utf-8"><title>Probe</title></head><body>'
        '<script src="/pagefind/pagefind-ui.js"></script>'
        '<script src="/theme/js/..%2f..%2fextra/fremd.js"></script><script src="/extra/fremd.js"></script>'
        '</body></html>', encoding="utf-8")
    with playwright_api.sync_playwright() as p:
        browser = launch_chromium(p)
        context = browser.new_context(ignore_https_errors=True)  # the test's own certificate
        problems = []
        context.expose_binding("cspViolation", lambda _source, seen: problems.append(seen))
        context.add_init_script("window.ran = []; document.addEventListener('securitypolicyviolation',"
                                " e => window.cspViolation(e.violatedDirective + ' ' + e.blockedURI));")
        page = context.new_page()
        page.on("console", lambda m: m.type == "error" and problems.append(m.text))
        page.on("pageerror", lambda e: problems.append(str(e)))
        try:
            for path in ("/", "/2026/duisburg-digital-viel-ankuendigung-wenig-antrag/", "/ozg/"):
                assert page.goto(siteurl + path, wait_until="networkidle").status == 200
            page.goto(siteurl + "/suche/?q=Musikschule", wait_until="networkidle")
            page.wait_for_selector(".pagefind-ui__result", timeout=10000)  # Pagefind's scripts, worker and WebAssembly ran
            assert problems == []
            statuses = {}
            page.on("response", lambda r: statuses.setdefault(r.url.removeprefix(siteurl), r.status))
            page.goto(siteurl + "/extra/probe.html", wait_until="networkidle")
            assert page.evaluate("typeof PagefindUI") == "function"  # ours ran
            assert page.evaluate("window.ran") == []
            assert statuses["/theme/js/..%2f..%2fextra/fremd.js"] == 400  # let through by the CSP, refused by nginx
            assert f"script-src-elem {siteurl}/extra/fremd.js" in problems, problems  # refused by the CSP
        finally:
            browser.close()
