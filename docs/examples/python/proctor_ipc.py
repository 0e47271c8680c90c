"""A small client for Proctor's IPC broker, standard library only.

The protocol is docs/ipc-protocol.md: frames of a 4-byte big-endian length
and that many bytes of UTF-8 JSON; a hello with the token first.

    from proctor_ipc import ProctorIPC
    ipc = ProctorIPC()                  # PROCTOR_IPC_SOCKET, PROCTOR_IPC_TOKEN
    ipc.send("p:web", {"hello": 1})
    print(ipc.request("proctor", {"ping": 1}))
    msg = ipc.receive()                 # the next message or request
    if msg["t"] == "request":
        ipc.respond(msg["id"], {"ok": True})

Blocking and single-threaded on purpose: one socket, read in order. While
request() waits for its response, other frames that arrive are kept and
handed out by receive() afterwards.
"""

import json
import os
import socket
import struct
from collections import deque

MAX_FRAME_BYTES = 1024 * 1024


class IPCError(Exception):
    """An error from the broker or from the other end; code is the wire error code."""

    def __init__(self, code, message):
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message


class ProctorIPC:
    def __init__(self, socket_path=None, token=None, timeout=10.0):
        socket_path = socket_path or os.environ.get("PROCTOR_IPC_SOCKET")
        token = token or os.environ.get("PROCTOR_IPC_TOKEN")
        if not socket_path or not token:
            raise IPCError("CLOSED", "PROCTOR_IPC_SOCKET and PROCTOR_IPC_TOKEN are not set")
        self._sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self._sock.settimeout(timeout)
        self._sock.connect(socket_path)
        self._buf = b""
        self._kept = deque()
        self._next_id = 1
        self._write({"t": "hello", "token": token, "v": 1, "pid": os.getpid()})
        welcome = self._read()
        if welcome.get("t") != "welcome":
            raise IPCError(welcome.get("code", "BAD_FRAME"), welcome.get("message", repr(welcome)))
        self.id = welcome["id"]
        self.name = welcome["name"]
        self.max_frame_bytes = welcome["maxFrameBytes"]

    # -- frames ---------------------------------------------------------

    def _write(self, message):
        body = json.dumps(message, separators=(",", ":")).encode("utf-8")
        self._sock.sendall(struct.pack(">I", len(body)) + body)

    def _read_exact(self, n):
        while len(self._buf) < n:
            chunk = self._sock.recv(65536)
            if not chunk:
                raise IPCError("DISCONNECTED", "the broker closed the connection")
            self._buf += chunk
        out, self._buf = self._buf[:n], self._buf[n:]
        return out

    def _read(self):
        (length,) = struct.unpack(">I", self._read_exact(4))
        if length > MAX_FRAME_BYTES:
            raise IPCError("FRAME_TOO_LARGE", f"the broker sent a {length}-byte frame")
        message = json.loads(self._read_exact(length).decode("utf-8"))
        if message.get("t") == "error" and message.get("fatal"):
            raise IPCError(message["code"], message["message"])
        return message

    # -- messages -------------------------------------------------------

    def send(self, to, payload):
        """A message to an endpoint id (p:web, r:3, proctor) or a program's name."""
        self._write({"t": "send", "to": to, "payload": payload})

    def broadcast(self, payload):
        self._write({"t": "broadcast", "payload": payload})

    def heartbeat(self):
        self._write({"t": "heartbeat"})

    def ready(self):
        self._write({"t": "ready"})

    def request(self, to, payload, timeout_ms=None):
        """Sends a request and waits for its response; raises IPCError (NOT_FOUND, TIMEOUT, HANDLER_ERROR, ...)."""
        rid = self._next_id
        self._next_id += 1
        message = {"t": "request", "to": to, "id": rid}
        if timeout_ms is not None:
            message["timeoutMs"] = timeout_ms
        # Payload last, compact: the form the broker forwards without parsing it again.
        message["payload"] = payload
        self._write(message)
        while True:
            reply = self._read()
            if reply.get("t") == "response" and reply.get("id") == rid:
                if "error" in reply:
                    raise IPCError(reply["error"]["code"], reply["error"]["message"])
                return reply["payload"]
            self._kept.append(reply)

    def receive(self):
        """The next frame for this program: {"t": "message", ...}, {"t": "request", ...} or a non-fatal {"t": "error", ...}."""
        if self._kept:
            return self._kept.popleft()
        return self._read()

    def respond(self, request_id, payload):
        self._write({"t": "response", "id": request_id, "payload": payload})

    def respond_error(self, request_id, message, code="HANDLER_ERROR"):
        self._write({"t": "response", "id": request_id, "error": {"code": code, "message": message}})

    def close(self):
        self._sock.close()
