"""Drives Gatehouse's Auth API with Duo's official Python client (Debian python3-duo-client,
duo_client.Auth), unchanged, one call per line.

Started by test/http/auth-api/python-client.test.ts with the server's port, a CA file and keys in
the environment. Reads one JSON object per line, {"method": ..., "args": {...}}, calls that method
of duo_client.Auth with those keyword arguments, and prints one JSON line: {"ok": <result>} or
{"error": <message>} (the client raises RuntimeError with Duo's code and message on a FAIL).
"""
import hashlib
import json
import os
import sys

import duo_client

env = os.environ
options = {"digestmod": hashlib.sha512} if env.get("DUO_DIGEST") == "sha512" else {}
client = duo_client.Auth(
    ikey=env["DUO_IKEY"], skey=env["DUO_SKEY"], host="127.0.0.1", port=int(env["DUO_PORT"]),
    ca_certs=env["DUO_CA"], **options,
)

for line in sys.stdin:
    call = json.loads(line)
    try:
        result = getattr(client, call["method"])(**call.get("args", {}))
        print(json.dumps({"ok": result}), flush=True)
    except RuntimeError as error:
        print(json.dumps({"error": str(error)}), flush=True)
