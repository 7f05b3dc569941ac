"""Drives Gatehouse with Duo's official Python client (Debian python3-duo-client), unchanged.

Called by test/http/duo/other-clients.test.ts with the server's port, a CA file and keys in the
environment; prints one JSON object of what the client got back. Any client error propagates.
"""
import hashlib
import json
import os

import duo_client
import duo_client.admin

env = os.environ
common = dict(host="127.0.0.1", port=int(env["DUO_PORT"]), ca_certs=env["DUO_CA"])
out = {}

for label, options in (("v2_sha1", {}), ("v2_sha512", {"digestmod": hashlib.sha512})):
    admin = duo_client.Admin(ikey=env["DUO_IKEY"], skey=env["DUO_SKEY"], **common, **options)
    username = "py-grace-" + label
    user = admin.add_user(username, realname="Grace Hopper", email=username + "@example.com")
    updated = admin.update_user(user["user_id"], realname="Rear Admiral Grace Hopper", status="disabled")
    group = admin.create_group("Python " + label, desc="made by duo_client")
    admin.add_user_group(user["user_id"], group["group_id"])
    out[label] = {
        "created": user,
        "updated": updated,
        "by_name": admin.get_users_by_name(username),
        "user_groups": admin.get_user_groups(user["user_id"]),
        "codes": admin.add_user_bypass_codes(user["user_id"], count=2, valid_secs=3600),
        "listed": [u["username"] for u in admin.get_users_iterator()],
    }
    admin.delete_user(user["user_id"])
    try:
        admin.get_user_by_id(user["user_id"])
        out[label]["after_delete"] = "still there"
    except RuntimeError as error:
        out[label]["after_delete"] = str(error)

admin = duo_client.Admin(ikey=env["DUO_IKEY"], skey=env["DUO_SKEY"], **common)
out["summary"] = admin.get_info_summary()
out["admins"] = [a["email"] for a in admin.get_admins()]
out["integrations"] = [i["integration_key"] for i in admin.get_integrations_generator()]
out["log_actions"] = sorted({row["action"] for row in admin.get_administrator_log(mintime=0)})

accounts = duo_client.Accounts(ikey=env["DUO_ACCOUNTS_IKEY"], skey=env["DUO_ACCOUNTS_SKEY"], **common)
created = accounts.create_account("Python Customer")
child = duo_client.admin.AccountAdmin(
    created["account_id"], ikey=env["DUO_ACCOUNTS_IKEY"], skey=env["DUO_ACCOUNTS_SKEY"], **common
)
child.add_user("child-user", realname="Child User")
out["child"] = {
    "created": created,
    "listed": [a["name"] for a in accounts.get_child_accounts()],
    "users": [u["username"] for u in child.get_users()],
    "edition": child.get_edition(),
}
accounts.delete_account(created["account_id"])
out["child"]["after_delete"] = [a["name"] for a in accounts.get_child_accounts()]

print(json.dumps(out))
