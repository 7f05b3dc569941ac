"""Sets, reads and removes the account's logo with Duo's official Python client (Debian
python3-duo-client 4.5.0: Admin.update_logo, get_logo, delete_logo), unchanged.

Called by test/http/duo/logo.test.ts with the server's port, a CA file, keys and the image's path
in the environment; prints one JSON object: each step's bytes in base64 or the client's error.
"""
import base64
import json
import os

import duo_client

env = os.environ
admin = duo_client.Admin(
    ikey=env["DUO_IKEY"], skey=env["DUO_SKEY"], host="127.0.0.1", port=int(env["DUO_PORT"]),
    ca_certs=env["DUO_CA"],
)
out = {}


def step(name, call):
    try:
        result = call()
        out[name] = {"ok": base64.b64encode(result).decode("ascii") if isinstance(result, bytes) else result}
    except RuntimeError as error:
        out[name] = {"error": str(error)}


with open(env["DUO_IMAGE"], "rb") as image:
    logo = image.read()

step("before", admin.get_logo)
step("not_an_image", lambda: admin.update_logo(b"GIF89a not a logo"))
step("update", lambda: admin.update_logo(logo))
step("after", admin.get_logo)
step("delete", admin.delete_logo)
step("deleted", admin.get_logo)
print(json.dumps(out), flush=True)
