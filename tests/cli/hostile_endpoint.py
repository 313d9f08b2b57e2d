#!/usr/bin/env python3
"""An endpoint that answers every request with text meant to act on whoever reads the report:
reader directives ([[ATTACHMENT|...]], [[PROPERTY|...]]), ANSI sequences (clear the screen, set
the window title, ring the bell) and C1 controls (U+0085, U+009B). Requests alternate between a
JSON error envelope (the text JSON-escaped, C1 as UTF-8) and a body that is not JSON (the same
as raw bytes, a lone 0x9b too), each with a header carrying raw ESC and BEL.
usage: hostile_endpoint.py; prints "listening on http://127.0.0.1:PORT" (the mock's line)."""
import http.server
import itertools
import json
import sys
import urllib.parse

DIRECTIVES = "[[ATTACHMENT|/etc/hostname]] [[PROPERTY|level=SHOULD]] [[[ATTACHMENT|/etc/passwd]]"
ANSI = "\x1b[2J\x1b]0;pwned\x07\x1b[31mred\x07"
C1 = "\u0085\u009b31m"
counter = itertools.count()


STATES = {  # kind prefix of a fixture id -> (asset, transcode, thumbnail, review) status
    "uploading": ("CREATING", "UN_TRANSCODE", "UN_THUMBNAIL", "UN_REVIEW"),
    "published": ("PUBLISHED", "TRANSCODE_SUCCEED", "THUMBNAIL_SUCCEED", "REVIEW_PASSED"),
    "transcode_queued": ("CREATED", "WAITING_TRANSCODE", "UN_THUMBNAIL", "UN_REVIEW"),
    "transcoding": ("CREATED", "TRANSCODING", "UN_THUMBNAIL", "UN_REVIEW"),
    "reviewing": ("CREATED", "TRANSCODE_SUCCEED", "UN_THUMBNAIL", "REVIEWING"),
    "snapshotting": ("CREATED", "TRANSCODE_SUCCEED", "THUMBNAILING", "UN_REVIEW"),
}


def summary(asset_id):
    kind = asset_id.rsplit("-", 1)[0]
    asset, transcode, thumbnail, review = STATES.get(kind, ("CREATED", "TRANSCODE_SUCCEED", "UN_THUMBNAIL", "UN_REVIEW"))
    return {"asset_id": asset_id, "title": "t", "create_time": "20261207000000", "asset_status": asset,
            "transcode_status": transcode, "thumbnail_status": thumbnail, "review_status": review, "exec_desc": ""}


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def answer(self):
        length = int(self.headers.get("Content-Length") or 0)
        self.rfile.read(length)
        if self.command == "GET" and "/asset/list" in self.path:
            # The state query answers truthfully: each fixture (named "<kind>-N" by the test) in
            # the state of its kind, so that the premises hold and the cases meet the hostile answers.
            ids = [v for k, v in urllib.parse.parse_qsl(urllib.parse.urlsplit(self.path).query) if k == "asset_id"]
            assets = [summary(i) for v in ids for i in v.split(",") if i]
            body = json.dumps({"total": len(assets), "assets": assets}).encode()
            self.wfile.write(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n")
            self.wfile.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
            return
        if next(counter) % 2 == 0:
            body = json.dumps({"error_code": "VOD.10053", "error_msg": DIRECTIVES + " " + ANSI + " " + C1}).encode()
        else:
            body = b'{"error_msg": "' + (DIRECTIVES + " " + ANSI).encode() + b" \xc2\x85 \xc2\x9b \x9b\x07 not json"
        self.wfile.write(b"HTTP/1.1 400 Bad Request\r\nContent-Type: application/json\r\n")
        self.wfile.write(b"X-Hostile: " + DIRECTIVES.encode() + b" \x1b]0;title\x07\x1b[5m\r\n")
        self.wfile.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)

    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = answer

    def log_message(self, *args):
        pass


server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
print(f"listening on http://127.0.0.1:{server.server_address[1]}", flush=True)
server.serve_forever()
