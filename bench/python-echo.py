#!/usr/bin/env python3
# The start-up benchmark's yardstick: the least a Maelstrom echo node can be, in plain
# Python with the standard library's json and one read-answer loop.
import json
import sys

node_id = None
for line in sys.stdin:
    message = json.loads(line)
    body = message["body"]
    if body["type"] == "init":
        node_id = body["node_id"]
        reply = {"type": "init_ok"}
    elif body["type"] == "echo":
        reply = {"type": "echo_ok", "echo": body["echo"]}
    else:
        continue
    reply["in_reply_to"] = body["msg_id"]
    print(json.dumps({"src": node_id, "dest": message["src"], "body": reply}), flush=True)
