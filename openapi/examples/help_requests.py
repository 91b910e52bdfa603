#!/usr/bin/env python3
"""Prints every help request of one codelab as it happens, over the TCP event-bus bridge.

Python 3 standard library only. The credential (an API key with the events:read scope, or a
facilitator's token) comes from --key or the CODELABS_API_KEY environment variable:

    CODELABS_API_KEY=clk_... python3 help_requests.py --host codelabs.example --port 8082 \
        --tls --codelab 0192f0c4-7a1e-7c3d-9b2a-5e8f1d0c4b6a

Frames are 4-byte big-endian lengths followed by that many bytes of JSON. The first frame carries
the credential in headers.Authorization. The bridge closes sockets that send no ping for a minute,
so this pings every 20 seconds. After a dropped connection it reconnects and replays what it
missed (codelab.events.replay after the last seq it saw, with the epoch it saw), so no help request
is lost or printed twice; when the bridge answers reset (replay window passed, or the database was
replaced) it says so and carries on from the newest event.
"""
import argparse
import json
import os
import socket
import ssl
import struct
import sys
import threading
import time
import uuid

PING_EVERY_SECONDS = 20
REPLAY = "codelab.events.replay"
REPLAY_PAGE = 500


class Connection:
    def __init__(self, args, credential):
        raw = socket.create_connection((args.host, args.port), timeout=10)
        if args.tls:
            context = ssl.create_default_context(cafile=args.cafile)
            raw = context.wrap_socket(raw, server_hostname=args.host)
        raw.settimeout(None)
        self.sock = raw
        self.credential = credential
        self.lock = threading.Lock()
        self.first = True

    def send(self, frame):
        if self.first:
            frame = dict(frame, headers={"Authorization": "Bearer " + self.credential})
            self.first = False
        data = json.dumps(frame).encode("utf-8")
        with self.lock:
            self.sock.sendall(struct.pack(">I", len(data)) + data)

    def receive(self):
        length = struct.unpack(">I", self._exactly(4))[0]
        return json.loads(self._exactly(length).decode("utf-8"))

    def _exactly(self, count):
        chunks = bytearray()
        while len(chunks) < count:
            chunk = self.sock.recv(count - len(chunks))
            if not chunk:
                raise ConnectionError("the bridge closed the connection")
            chunks.extend(chunk)
        return bytes(chunks)

    def close(self):
        try:
            self.sock.close()
        except OSError:
            pass


class HelpRequests:
    def __init__(self, codelab):
        self.codelab = codelab
        self.last_seq = None
        self.epoch = None

    def follow(self, connection):
        """Registers, replays what was missed, then prints live events until the connection drops."""
        stopped = threading.Event()
        threading.Thread(target=self._ping, args=(connection, stopped), daemon=True).start()
        try:
            connection.send({"type": "register", "address": "codelab.facilitators." + self.codelab})
            waiting = self._ask_replay(connection)
            held = []
            while True:
                frame = connection.receive()
                kind = frame.get("type")
                if kind == "err":
                    if frame.get("body") in ("not_logged_in", "session_ended", "access_denied"):
                        raise PermissionError(frame.get("body"))
                    print("bridge error: " + json.dumps(frame), file=sys.stderr, flush=True)
                elif kind == "message" and frame.get("address") == waiting:
                    waiting = self._replayed(connection, frame["body"], held)
                    if waiting is None:
                        held = []
                elif kind == "message":
                    if waiting is None:
                        self._event(frame["body"])
                    else:
                        held.append(frame["body"])
        finally:
            stopped.set()

    def _ask_replay(self, connection):
        reply_address = str(uuid.uuid4())
        body = {"codelabId": self.codelab, "after": self.last_seq or 0, "limit": REPLAY_PAGE}
        if self.last_seq is None:
            body["limit"] = 1
        if self.epoch is not None:
            body["epoch"] = self.epoch
        connection.send({"type": "send", "address": REPLAY, "body": body, "replyAddress": reply_address})
        return reply_address

    def _replayed(self, connection, answer, held):
        """Handles a replay answer; returns the reply address of the next page, or None once caught up."""
        first_time = self.last_seq is None
        self.epoch = answer["epoch"]
        if first_time or answer["reset"]:
            if answer["reset"] and not first_time:
                print("missed too much to replay: carrying on from the newest event", flush=True)
            self.last_seq = answer["latestSeq"]
            if first_time:
                print("listening for help requests in codelab " + self.codelab, flush=True)
        else:
            for event in answer["events"]:
                self._event(event)
            if answer.get("more"):
                return self._ask_replay(connection)
        for event in sorted(held, key=lambda e: e["seq"]):
            self._event(event)
        return None

    def _event(self, event):
        if event["seq"] <= self.last_seq:
            return
        self.last_seq = event["seq"]
        if event["type"] == "help.requested":
            help_request = event["data"]["help"]
            line = "help requested by {} on step {}".format(help_request["nickname"], help_request["step"] + 1)
            if help_request.get("message"):
                line += ": " + help_request["message"]
            print(line, flush=True)

    @staticmethod
    def _ping(connection, stopped):
        while not stopped.wait(PING_EVERY_SECONDS):
            try:
                connection.send({"type": "ping"})
            except OSError:
                return


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="localhost")
    parser.add_argument("--port", type=int, default=8082)
    parser.add_argument("--codelab", required=True, help="the codelab id")
    parser.add_argument("--key", default=os.environ.get("CODELABS_API_KEY"),
                        help="API key or token (default: $CODELABS_API_KEY)")
    parser.add_argument("--tls", action="store_true", help="connect with TLS")
    parser.add_argument("--cafile", help="trust this CA or self-signed certificate (PEM) for --tls")
    args = parser.parse_args()
    if not args.key:
        parser.error("give the API key with --key or CODELABS_API_KEY")
    follower = HelpRequests(args.codelab)
    backoff = 0.5
    while True:
        connection = None
        try:
            connection = Connection(args, args.key)
            backoff = 0.5
            follower.follow(connection)
        except PermissionError as refused:
            print("refused by the bridge: " + str(refused), file=sys.stderr, flush=True)
            return 2
        except (OSError, ValueError) as lost:
            print("connection lost ({}), reconnecting".format(lost), file=sys.stderr, flush=True)
        finally:
            if connection is not None:
                connection.close()
        time.sleep(backoff)
        backoff = min(backoff * 2, 10)


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        sys.exit(0)
