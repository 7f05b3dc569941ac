"""Reads Gatehouse's authentication and telephony logs with Duo's official Python client
(Debian python3-duo-client 4.5.0), unchanged.

Called by test/http/duo/auth-logs.test.ts with the server's port, a CA file, keys and the window
to read in the environment; prints one JSON object of what the client got back. Any client error
propagates, except where the script records it on purpose.
"""
import json
import os
import warnings

import duo_client

env = os.environ
admin = duo_client.Admin(
    ikey=env["DUO_IKEY"],
    skey=env["DUO_SKEY"],
    host="127.0.0.1",
    port=int(env["DUO_PORT"]),
    ca_certs=env["DUO_CA"],
)
window = dict(mintime=int(env["LOG_MINTIME"]), maxtime=int(env["LOG_MAXTIME"]))
out = {}

# v2, page after page: the client gives the metadata's next_offset back as it got it (a list,
# sent as two repeated keys).
pages = []
offset = None
while len(pages) < 20:
    page = admin.get_authentication_log(api_version=2, limit=env["LOG_LIMIT"], next_offset=offset, **window)
    pages.append([row["txid"] for row in page["authlogs"]])
    offset = page["metadata"].get("next_offset")
    out["total_objects"] = page["metadata"]["total_objects"]
    if offset is None:
        break
out["pages"] = pages
out["first_record"] = admin.get_authentication_log(api_version=2, limit="1", **window)["authlogs"][0]
out["ascending"] = [
    row["txid"] for row in admin.get_authentication_log(api_version=2, sort="ts:asc", **window)["authlogs"]
]
out["filtered"] = [
    [row["user"]["key"], row["result"]]
    for row in admin.get_authentication_log(
        api_version=2, users=[env["LOG_USER"]], results=["denied"], **window
    )["authlogs"]
]
try:
    admin.get_authentication_log(api_version=2, results=["maybe"], **window)
    out["bad_result"] = "accepted"
except RuntimeError as error:
    out["bad_result"] = str(error)

with warnings.catch_warnings():
    warnings.simplefilter("ignore", DeprecationWarning)
    out["v1"] = admin.get_authentication_log(mintime=window["mintime"] // 1000)
out["telephony"] = admin.get_telephony_log(mintime=window["mintime"] // 1000)

print(json.dumps(out))
