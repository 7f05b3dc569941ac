"""Fetches the account's logo with Duo's official Python client (Debian python3-duo-client,
duo_client.Auth(...).logo()), unchanged, and prints one JSON line: {"ok": <the bytes in base64>}
or {"error": <message>} (the client raises RuntimeError with Duo's code and message on a FAIL).

Run by test/http/auth-api/logo.test.ts with the server's port, a CA file and keys in the environment.
"""
import base64
import hashlib
import json
import os

import duo_client

env = os.environ
options = {"digestmod": hashlib.sha512} if env.get("DUO_DIGEST") == "sha512" else {}
client = duo_client.Auth(
    ikey=env["DUO_IKEY"], skey=env["DUO_SKEY"], host="127.0.0.1", port=int(env["DUO_PORT"]),
    ca_certs=env["DUO_CA"], **options,
)

try:
    print(json.dumps({"ok": base64.b64encode(client.logo()).decode("ascii")}), flush=True)
except RuntimeError as error:
    print(json.dumps({"error": str(error)}), flush=True)
