"""Drives Gatehouse's phones and hardware tokens with Duo's official Python client (Debian
python3-duo-client 4.5.0, v2 HMAC-SHA1, form bodies), unchanged.

Called by test/http/duo/devices-python.test.ts with the server's port, a CA file and keys in the
environment; prints one JSON object of what the client got back. Any client error propagates.
"""
import json
import os

import duo_client

env = os.environ
admin = duo_client.Admin(
    ikey=env["DUO_IKEY"], skey=env["DUO_SKEY"], host="127.0.0.1", port=int(env["DUO_PORT"]),
    ca_certs=env["DUO_CA"],
)
out = {}

user = admin.add_user("py-devices", realname="Device Owner")
phone = admin.add_phone(number="+15550104242", name="Desk", type="landline", platform="unknown", predelay="3")
out["phone"] = phone
out["phone_by_number"] = admin.get_phones_by_number("+15550104242")
out["phone_updated"] = admin.update_phone(phone["phone_id"], name="Mobile", type="mobile", platform="apple ios")
admin.add_user_phone(user["user_id"], phone["phone_id"])
out["user_phones"] = admin.get_user_phones(user["user_id"])
out["phones"] = [p["phone_id"] for p in admin.get_phones()]

hotp = admin.add_hotp6_token("PY-H6", "3132333435363738393031323334353637383930")
totp = admin.add_totp6_token("PY-T6", "3132333435363738393031323334353637383930", totp_step="60")
yubikey = admin.add_yubikey_token("PY-YK", "0a1b2c3d4e5f", "00112233445566778899aabbccddeeff")
out["tokens"] = [hotp, totp, yubikey]
out["token_by_serial"] = admin.get_tokens_by_serial("h6", "PY-H6")
out["token_updated"] = admin.update_token(totp["token_id"], totp_step="30")
# RFC 4226 appendix D: the codes at counters 3, 4 and 5.
out["resync"] = admin.resync_hotp_token(hotp["token_id"], "969429", "338314", "254676")
admin.add_user_token(user["user_id"], hotp["token_id"])
out["user_tokens"] = admin.get_user_tokens(user["user_id"])
out["user"] = admin.get_user_by_id(user["user_id"])

admin.delete_user_phone(user["user_id"], phone["phone_id"])
admin.delete_user_token(user["user_id"], hotp["token_id"])
out["after_unlink"] = admin.get_user_by_id(user["user_id"])
admin.delete_phone(phone["phone_id"])
admin.delete_phone(phone["phone_id"])  # "If the phone has already been deleted, does nothing."
for token in (hotp, totp, yubikey):
    admin.delete_token(token["token_id"])
try:
    admin.get_phone_by_id(phone["phone_id"])
    out["after_delete"] = "still there"
except RuntimeError as error:
    out["after_delete"] = str(error)
admin.delete_user(user["user_id"])

print(json.dumps(out))
