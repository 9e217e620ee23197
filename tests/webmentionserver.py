"""Local stand-ins for webmention.rocks' discovery tests (and a few failures), on 127.0.0.1.

Every case page `/case/N` advertises its endpoint one way; an endpoint that receives
the POST records it under the case's number. `/wrong/…` is what a wrong reading of the
page would post to. PAGES maps a path to (extra headers, HTML body or None)."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

HTML = "<!doctype html><html><head><title>Fall</title>{head}</head><body>{body}</body></html>"


def page(head="", body=""):
    return HTML.format(head=head, body=body)


def pages(base):
    """path -> (status, headers, body). `base` is the absolute origin for absolute endpoints."""
    plain = page(body="<p>Kein Endpunkt.</p>")
    return {
        # HTTP Link header: relative, absolute, odd casing, quoted rel, several headers,
        # several values in one header, several rel values.
        "/case/1": (200, [("Link", "</wm/1>; rel=webmention")], plain),
        "/case/2": (200, [("Link", f'<{base}/wm/2>; rel="webmention"')], plain),
        "/case/3": (200, [("LinK", "</wm/3>; REL=WebMention")], plain),
        "/case/4": (200, [("Link", '</wm/4>; rel="webmention"')], plain),
        "/case/5": (200, [("Link", '</wrong/5>; rel="other"'), ("Link", '</wm/5>; rel="webmention"')], plain),
        "/case/6": (200, [("Link", '</wrong/6>; rel="other", </wm/6>; rel="webmention"')], plain),
        "/case/7": (200, [("Link", '</wm/7>; rel="webmention somethingelse"')], plain),
        # HTML <link> and <a>, relative and absolute; several rel values.
        "/case/8": (200, [], page(head='<link rel="webmention" href="/wm/8">')),
        "/case/9": (200, [], page(head=f'<link rel="webmention" href="{base}/wm/9">')),
        "/case/10": (200, [], page(body='<a rel="webmention" href="/wm/10">Endpunkt</a>')),
        "/case/11": (200, [], page(body=f'<a rel="webmention" href="{base}/wm/11">Endpunkt</a>')),
        "/case/12": (200, [], page(head='<link rel="webmention somethingelse" href="/wm/12">')),
        # rel="not-webmention", a commented-out and an escaped endpoint are no endpoints.
        "/case/13": (200, [], page(head='<link rel="not-webmention" href="/wrong/13"><link rel="webmention" href="/wm/13">')),
        "/case/14": (200, [], page(head='<!-- <link rel="webmention" href="/wrong/14"> -->',
                                   body='<a rel="webmention" href="/wm/14">Endpunkt</a>')),
        "/case/15": (200, [], page(body='<code>&lt;a rel="webmention" href="/wrong/15"&gt;&lt;/a&gt;</code>'
                                        '<a rel="webmention" href="/wm/15">Endpunkt</a>')),
        # An empty href is the page itself (which then receives the POST).
        "/case/16": (200, [], page(head='<link rel="webmention" href="">')),
        # The first of <a> and <link> in document order.
        "/case/17": (200, [], page(body='<a rel="webmention" href="/wm/17">a</a><link rel="webmention" href="/wrong/17">')),
        # The Link header wins over HTML.
        "/case/18": (200, [("Link", "</wm/18>; rel=webmention")], page(head='<link rel="webmention" href="/wrong/18">')),
        # A <link> without href is skipped.
        "/case/19": (200, [], page(head='<link rel="webmention">', body='<a rel="webmention" href="/wm/19">a</a>')),
        # A query string stays in the endpoint's URL.
        "/case/20": (200, [], page(head='<link rel="webmention" href="/wm/20?version=1">')),
        # Relative to the page's path.
        "/case/21/seite": (200, [], page(head='<link rel="webmention" href="wm21">')),
        # Redirects: the endpoint is resolved against the final URL (HTML and header).
        "/case/22": (302, [("Location", "/ziel/22/seite")], ""),
        "/ziel/22/seite": (200, [], page(head='<link rel="webmention" href="wm">')),
        "/case/23": (301, [("Location", "/ziel/23/seite")], ""),
        "/ziel/23/seite": (200, [("Link", "<wm>; rel=webmention")], plain),
        # No endpoint; a 5xx endpoint; an endpoint on another (private) host.
        "/none": (200, [], plain),
        "/flaky": (200, [], page(head='<link rel="webmention" href="/wm/flaky">')),
        "/gone": (404, [], plain),
    }


# Where each case's POST must arrive.
ENDPOINTS = {f"/case/{n}": f"/wm/{n}" for n in range(1, 21)} | {
    "/case/16": "/case/16", "/case/21/seite": "/case/21/wm21", "/case/22": "/ziel/22/wm", "/case/23": "/ziel/23/wm"}


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def _answer(self, status, headers=(), body=""):
        data = body.encode("utf-8")
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        path = urlsplit(self.path).path
        with self.server.lock:
            self.server.gets.append(path)
        known = {**pages(self.server.base), **self.server.extra}
        status, headers, body = known.get(path, (404, [], "nicht da"))
        self._answer(status, headers, body)

    def do_POST(self):
        parts = urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length).decode("ascii")
        with self.server.lock:
            self.server.posts.append({"path": parts.path, "query": parts.query, "form": parse_qs(body),
                                      "type": self.headers.get("Content-Type", "")})
            flaky = parts.path == "/wm/flaky" and self.server.failures_left > 0
            if flaky:
                self.server.failures_left -= 1
        self._answer(503 if flaky else 202, [], "angenommen")


class WebmentionServer(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False

    def __init__(self):
        super().__init__(("127.0.0.1", 0), Handler)
        self.lock = threading.Lock()
        self.gets, self.posts = [], []
        self.failures_left = 1
        self.extra = {}  # path -> (status, headers, body): a test's own page

    @property
    def base(self):
        return f"http://127.0.0.1:{self.server_address[1]}"

    def start(self):
        threading.Thread(target=self.serve_forever, daemon=True).start()
        return self

    def close(self):
        self.shutdown()
        self.server_close()

    def take_posts(self):
        with self.lock:
            posts, self.posts = self.posts, []
        return posts
