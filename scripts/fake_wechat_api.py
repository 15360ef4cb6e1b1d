"""A stand-in for the WeChat API endpoints the service calls, for scripts on loopback (standard library only).

    python3 scripts/fake_wechat_api.py PORT

GET /cgi-bin/token issues one access token; POST /cgi-bin/message/custom/send accepts every message and keeps its
JSON body, which GET /_sent lists (oldest first); GET /cgi-bin/media/get serves the temporary media in MEDIA (an
unknown id gets 40007, as WeChat answers an expired one). Runs until it is killed. Used by api-contract-test.sh, so
that evidence is fetched and messages are delivered, and by the browser tests, which check what staff sent.
"""
import json
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

# A small JPEG-looking picture: the contract test downloads it as evidence.
PICTURE = bytes([0xFF, 0xD8, 0xFF, 0xE0]) + bytes(range(256)) * 4 + bytes([0xFF, 0xD9])


def png(width, height):
    """A real PNG (a red seal-like square on white), so that a browser can show the evidence it becomes."""
    import struct
    import zlib

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    rows = b""
    for y in range(height):
        rows += b"\x00" + b"".join(
            b"\xb4\x23\x2a" if width // 4 <= x < 3 * width // 4 and height // 4 <= y < 3 * height // 4
            else b"\xff\xff\xff" for x in range(width))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


MEDIA = {"contract-media-1": ("image/jpeg", PICTURE), "browser-picture-1": ("image/png", png(48, 32))}
SENT = []
SENT_LOCK = threading.Lock()


class Handler(BaseHTTPRequestHandler):
    def answer(self, status, content_type, body):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def json(self, value):
        self.answer(200, "application/json; encoding=utf-8", json.dumps(value).encode())

    def do_GET(self):
        url = urlparse(self.path)
        query = {key: values[0] for key, values in parse_qs(url.query).items()}
        if url.path == "/cgi-bin/token":
            self.json({"access_token": "contract-access-token", "expires_in": 7200})
        elif url.path == "/cgi-bin/media/get" and query.get("media_id") in MEDIA:
            content_type, body = MEDIA[query["media_id"]]
            self.answer(200, content_type, body)
        elif url.path == "/_sent":
            with SENT_LOCK:
                self.json(list(SENT))
        elif url.path == "/cgi-bin/media/get":
            self.json({"errcode": 40007, "errmsg": "invalid media_id"})
        else:
            self.answer(404, "text/plain", b"not found")

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        if urlparse(self.path).path == "/cgi-bin/message/custom/send":
            try:
                message = json.loads(body)
            except ValueError:
                message = {"unreadable": body.decode("utf-8", "replace")}
            with SENT_LOCK:
                SENT.append(message)
            self.json({"errcode": 0, "errmsg": "ok"})
        else:
            self.answer(404, "text/plain", b"not found")

    def log_message(self, *args):
        pass


if __name__ == "__main__":
    ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Handler).serve_forever()
