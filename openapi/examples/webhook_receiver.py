#!/usr/bin/env python3
"""Receives Open Codelabs webhooks, verifies their Standard Webhooks signature and prints each event.

Python 3 standard library only.

    WEBHOOK_SECRET='whsec_...' python3 webhook_receiver.py --port 8000

WEBHOOK_SECRET may hold several secrets separated by spaces: during a rotation, put the new one
next to the old one. A request is accepted (204) when its webhook-timestamp is within five minutes
of now and one of its v1 signatures matches one of the secrets; otherwise it is refused (401) and
nothing is printed. Each accepted event is printed as one JSON line on standard output; a
webhook-id seen before is acknowledged again but printed only once.
"""
import argparse
import base64
import hashlib
import hmac
import json
import os
import sys
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

TOLERANCE_SECONDS = 5 * 60
MAX_BODY_BYTES = 1 << 20


def secret_key(secret):
    return base64.b64decode(secret[len("whsec_"):] if secret.startswith("whsec_") else secret)


def verify(secrets, headers, body, now=None):
    """Returns None when the request is authentic, else the reason it is not."""
    msg_id = headers.get("webhook-id")
    timestamp = headers.get("webhook-timestamp")
    signatures = headers.get("webhook-signature")
    if not msg_id or not timestamp or not signatures:
        return "missing webhook headers"
    try:
        sent_at = int(timestamp)
    except ValueError:
        return "bad timestamp"
    now = int(time.time()) if now is None else now
    if abs(now - sent_at) > TOLERANCE_SECONDS:
        return "timestamp outside the tolerance"
    signed = msg_id.encode() + b"." + timestamp.encode() + b"." + body
    for secret in secrets:
        expected = base64.b64encode(hmac.new(secret_key(secret), signed, hashlib.sha256).digest())
        for entry in signatures.split(" "):
            version, _, signature = entry.partition(",")
            if version == "v1" and hmac.compare_digest(expected, signature.encode()):
                return None
    return "no signature matches"


class Receiver(BaseHTTPRequestHandler):
    secrets = []
    seen = set()

    def do_POST(self):
        length = int(self.headers.get("content-length") or 0)
        if length > MAX_BODY_BYTES:
            self.send_error(413)
            return
        body = self.rfile.read(length)
        refused = verify(self.secrets, self.headers, body)
        if refused:
            print(json.dumps({"refused": self.headers.get("webhook-id"), "reason": refused}), file=sys.stderr, flush=True)
            self.send_response(401)
            self.end_headers()
            return
        msg_id = self.headers["webhook-id"]
        if msg_id not in self.seen:
            self.seen.add(msg_id)
            event = json.loads(body)
            data = event["data"]
            print(json.dumps({"id": msg_id, "type": event["type"], "codelabId": data["codelabId"], "seq": data["seq"],
                              "data": data["data"]}), flush=True)
        self.send_response(204)
        self.end_headers()

    def log_message(self, format, *args):
        pass


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000, help="0 picks a free port")
    args = parser.parse_args()
    secrets = os.environ.get("WEBHOOK_SECRET", "").split()
    if not secrets:
        sys.exit("Set WEBHOOK_SECRET to the endpoint's secret (several, space-separated, during a rotation)")
    Receiver.secrets = secrets
    server = ThreadingHTTPServer((args.host, args.port), Receiver)
    print(json.dumps({"listening": "http://%s:%d/" % (args.host, server.server_address[1])}), flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
