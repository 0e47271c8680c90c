"""An example program for Proctor's IPC broker: says ready, pings Proctor,
greets a peer, then answers requests ({"add": [a, b]} -> the sum; anything
else -> an error) until it is sent {"stop": true}.

    python3 echo_worker.py [peer]     # run by Proctor, with IPC on
"""

import json
import sys

from proctor_ipc import IPCError, ProctorIPC


def main():
    ipc = ProctorIPC()
    print(json.dumps({"event": "welcome", "id": ipc.id}), flush=True)
    ipc.ready()
    ipc.heartbeat()
    print(json.dumps({"event": "ping", "reply": ipc.request("proctor", {"ping": 1})}), flush=True)
    if len(sys.argv) > 1:
        ipc.send(sys.argv[1], {"hello": "from python", "id": ipc.id})
        print(json.dumps({"event": "peer", "reply": ipc.request(sys.argv[1], {"question": "sum", "of": [2, 3]})}), flush=True)
    try:
        ipc.request("nobody-here", {})
    except IPCError as err:
        print(json.dumps({"event": "error", "code": err.code}), flush=True)
    while True:
        msg = ipc.receive()
        if msg["t"] == "request":
            payload = msg["payload"]
            if isinstance(payload, dict) and "add" in payload:
                ipc.respond(msg["id"], {"sum": sum(payload["add"])})
            else:
                ipc.respond_error(msg["id"], "echo_worker answers only {\"add\": [numbers]}")
        elif msg["t"] == "message":
            print(json.dumps({"event": "message", "from": msg["from"], "payload": msg["payload"]}), flush=True)
            if isinstance(msg["payload"], dict) and msg["payload"].get("stop"):
                break
    ipc.close()


if __name__ == "__main__":
    main()
