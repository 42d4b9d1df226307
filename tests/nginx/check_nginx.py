#!/usr/bin/env python3
"""Serves the built sample site with nginx (Debian's package) on a loopback port and
checks that every page, asset and feed answers 200 with the right content type, and
unknown paths the theme's 404 page with status 404.

    python3 tests/nginx/check_nginx.py PUBLIC_DIR

Prints 'nginx: N passed, 0 failed' when every check holds.
"""
import contextlib
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "metadata"))
from checks import Checks  # noqa: E402

checks = Checks("nginx")
check = checks.check

EXPECTED_TYPES = {
    ".html": "text/html",
    ".css": "text/css",
    ".svg": "image/svg+xml",
    ".xml": ("text/xml", "application/xml", "application/atom+xml", "application/rss+xml"),
    ".json": ("application/json", "application/feed+json"),
    ".txt": "text/plain",
}

CONFIG = """
{user}
daemon off;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log;
events {{ worker_connections 64; }}
http {{
    include /etc/nginx/mime.types;
    types {{ application/atom+xml atom.xml; application/rss+xml rss.xml; application/feed+json feed.json; }}
    access_log off;
    client_body_temp_path {prefix}/body;
    proxy_temp_path {prefix}/proxy;
    fastcgi_temp_path {prefix}/fastcgi;
    uwsgi_temp_path {prefix}/uwsgi;
    scgi_temp_path {prefix}/scgi;
    server {{
        listen 127.0.0.1:{port};
        root {root};
        index index.html;
        error_page 404 /404.html;
        {extra}
    }}
}}
"""




def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url):
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.headers.get("Content-Type", ""), response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get("Content-Type", ""), error.read()


@contextlib.contextmanager
def serve(public, extra=""):
    """nginx serving `public` on a free loopback port, with `extra` directives in its
    server block; yields the base URL."""
    public = os.path.abspath(public)
    port = free_port()
    with tempfile.TemporaryDirectory() as prefix:
        config = os.path.join(prefix, "nginx.conf")
        with open(config, "w") as f:
            # Run as root, nginx's workers would drop to www-data, which may not read a
            # private temporary folder: keep them as the user running the check.
            user = "user root;" if os.geteuid() == 0 else ""
            f.write(CONFIG.format(user=user, prefix=prefix, port=port, root=public, extra=extra))
        server = subprocess.Popen(["nginx", "-c", config, "-p", prefix])
        try:
            for _ in range(100):
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                    break
                except OSError:
                    time.sleep(0.05)
            yield f"http://127.0.0.1:{port}"
        finally:
            server.terminate()
            server.wait(timeout=10)


def main(public):
    public = os.path.abspath(public)
    with serve(public) as base:
        for folder, _, files in os.walk(public):
            for name in files:
                relative = os.path.relpath(os.path.join(folder, name), public).replace(os.sep, "/")
                url = f"{base}/{relative}"
                if name == "index.html":
                    url = f"{base}/{os.path.dirname(relative)}/".replace("//", "/").replace("http:/", "http://")
                status, content_type, _ = fetch(url)
                check(status == 200, url, f"status {status}")
                expected = EXPECTED_TYPES.get(os.path.splitext(name)[1])
                if expected:
                    wanted = expected if isinstance(expected, tuple) else (expected,)
                    check(content_type.split(";")[0] in wanted, url, f"content type {content_type}")
        status, content_type, body = fetch(f"{base}/no/such/page/")
        check(status == 404, "/no/such/page/", f"status {status}")
        check(b"Page introuvable" in body or b"Page not found" in body, "/no/such/page/", "the theme's 404 page")
    checks.done()


if __name__ == "__main__":
    main(sys.argv[1])
