-- Issue 15: WebAuthn security keys and passkeys (R-AUTH-2), users' and administrators' (R-ADM-3),
-- listed and removed by admins within their role and units (R-ROLE-2 "Manage 2FA devices",
-- R-UNIT-8f) and in the Admin API as Duo's webauthncredentials (research/duo-api.md §4.4, §5).
-- Not a fact the authorization engine reads (a credential is decided on through its user), so no
-- authz_version trigger is attached.

create table webauthn_credentials (
  -- Duo's `webauthnkey`.
  id text primary key constraint webauthn_credentials_id_shape check (id ~ '^WA[0-9A-Z]{18}$'),
  account_id text not null references accounts (id) on delete cascade,
  -- Exactly one owner: a user of the account, or an administrator whose home it is.
  user_id text,
  admin_id text,
  constraint webauthn_credentials_one_owner check ((user_id is null) <> (admin_id is null)),
  -- What the browser names the credential by (base64url of at most 1023 bytes, WebAuthn §5.1).
  -- Unique across every account: a relying party refuses to register one id twice (§7.1 step 26),
  -- and an authentication finds its credential by this id alone.
  credential_id text not null constraint webauthn_credentials_credential_id_shape check (
    length(credential_id) between 16 and 1366 and credential_id ~ '^[A-Za-z0-9_-]+$'
  ),
  -- The COSE public key: nothing secret is stored (the private key never leaves the authenticator).
  public_key bytea not null constraint webauthn_credentials_public_key_length check (length(public_key) between 16 and 2048),
  -- R-AUTH-2: the authenticator's signature counter; 0 for one that keeps none (synced passkeys).
  sign_count bigint not null default 0 constraint webauthn_credentials_sign_count check (sign_count between 0 and 4294967295),
  transports text[] not null default '{}' constraint webauthn_credentials_transports check (
    transports <@ array['ble', 'cable', 'hybrid', 'internal', 'nfc', 'smart-card', 'usb']::text[]
  ),
  aaguid text not null constraint webauthn_credentials_aaguid_shape check (aaguid ~ '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'),
  -- multi_device: a passkey, which may be synced to the owner's other devices (backed up or not yet).
  device_type text not null constraint webauthn_credentials_device_type check (device_type in ('single_device', 'multi_device')),
  backed_up boolean not null default false,
  constraint webauthn_credentials_backed_up check (not backed_up or device_type = 'multi_device'),
  -- Duo's credential_name: what the authenticator is ("Security key", "Passkey", "iCloud Keychain").
  credential_name text not null constraint webauthn_credentials_credential_name_length check (length(btrim(credential_name)) between 1 and 100),
  -- Duo's label: the owner's own name for it, editable; '' until they give one.
  label text not null default '' constraint webauthn_credentials_label_length check (length(label) <= 100),
  created_at timestamptz not null default now(),
  last_used_at timestamptz,
  constraint webauthn_credentials_id_account unique (id, account_id),
  foreign key (user_id, account_id) references users (id, account_id) on delete cascade,
  foreign key (admin_id, account_id) references admins (id, account_id) on delete cascade
) with (fillfactor = 90); -- every authentication moves the counter: room for in-place (HOT) updates.
create unique index webauthn_credentials_credential_id_unique on webauthn_credentials (credential_id);
create index webauthn_credentials_by_user on webauthn_credentials (user_id, id) where user_id is not null;
create index webauthn_credentials_by_admin on webauthn_credentials (admin_id, id) where admin_id is not null;
-- The Admin API's list of the account's credentials, paged by id.
create index webauthn_credentials_by_account on webauthn_credentials (account_id, id);

-- R-ADM-3: an administrator's WebAuthn ceremony in the panel (registering a key from Edit Profile,
-- or signing in with one after the password), bound to the session it was started in: a new
-- ceremony replaces the last, a check takes it (single use), and it lasts five minutes. Ending the
-- session (sign-in rotates it) ends the ceremony.
create table admin_webauthn_challenges (
  session_id_hash text not null references admin_sessions (id_hash) on delete cascade,
  purpose text not null constraint admin_webauthn_challenges_purpose check (purpose in ('register', 'sign_in')),
  challenge text not null constraint admin_webauthn_challenges_challenge_shape check (challenge ~ '^[A-Za-z0-9_-]{16,128}$'),
  expires_at timestamptz not null,
  primary key (session_id_hash, purpose)
);
