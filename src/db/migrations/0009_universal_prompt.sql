-- The hosted Universal Prompt (issue 15, R-AUTH-1..5): an application of the Web SDK type sends a
-- user to /oauth/v1/authorize; the prompt runs in a session of its own, bound to the browser that
-- opened it, and ends with a single-use code the application exchanges at /oauth/v1/token for a
-- signed result. The outcome itself lives in the authentication log (txid); the session only
-- points at it, so the token and the log can never disagree.

create table prompt_sessions (
  -- 128 random bits, base64url: the session's name in the prompt's URL (/prompt/<id>).
  id text primary key constraint prompt_sessions_id_shape check (id ~ '^[A-Za-z0-9_-]{22}$'),
  account_id text not null references accounts (id) on delete cascade,
  application_id text not null references applications (id) on delete cascade,
  -- duo_uname exactly as the application sent it: the token's preferred_username must equal it.
  username text not null constraint prompt_sessions_username_length check (length(username) between 1 and 300),
  redirect_uri text not null constraint prompt_sessions_redirect_length check (length(redirect_uri) between 1 and 2048),
  state text not null constraint prompt_sessions_state_length check (length(state) between 22 and 1024),
  -- Duo's use_duo_code_attribute: the redirect names the code duo_code (true) or code (false).
  use_duo_code boolean not null,
  -- SHA-256 of the cookie that binds the session to the browser that opened it.
  browser_hash text not null constraint prompt_sessions_browser_hash_shape check (browser_hash ~ '^[0-9a-f]{64}$'),
  access_ip text,
  -- The person asked to manage their devices: after their factor, the prompt shows their devices
  -- (issue 15 item 4) before it sends them back.
  manage_devices boolean not null default false,
  created_at timestamptz not null default now(),
  expires_at timestamptz not null,
  -- A WebAuthn ceremony under way in this session: its challenge, used once.
  webauthn_challenge text,
  -- Self-enrollment under way: the new authenticator app's secret, sealed with the session's id,
  -- until the user proves a first code from it.
  pending_totp_secret_enc text,
  -- The outcome, set once: allow or deny, and the log entry that records it.
  result text constraint prompt_sessions_result check (result in ('allow', 'deny')),
  status text constraint prompt_sessions_status_shape check (status ~ '^[a-z_]{1,40}$'),
  status_msg text,
  txid uuid,
  completed_at timestamptz,
  constraint prompt_sessions_outcome check (
    (result is null) = (completed_at is null) and (result is null) = (status is null)
  ),
  -- The authorization code handed to the application: its SHA-256, valid for a minute, used once.
  code_hash text unique constraint prompt_sessions_code_hash_shape check (code_hash ~ '^[0-9a-f]{64}$'),
  code_expires_at timestamptz,
  code_used_at timestamptz,
  constraint prompt_sessions_code_needs_outcome check (code_hash is null or result is not null),
  constraint prompt_sessions_expiry check (expires_at > created_at)
);
create index prompt_sessions_expiry on prompt_sessions (expires_at);

-- "Remember me" (issue 15 item 2): after a factor, a browser may skip the prompt for this user and
-- this application for the account's chosen number of days (none: the box is not offered). The
-- browser holds the token in a cookie; only its hash is here. Revoked by an admin (all of a user's
-- at once) or ended by time; the user's standing (disabled, locked out) still decides first.
alter table account_settings
  add column remembered_browser_days integer
    constraint account_settings_remembered_browser_days check (remembered_browser_days between 1 and 90);

create table remembered_browsers (
  token_hash text primary key constraint remembered_browsers_token_hash_shape check (token_hash ~ '^[0-9a-f]{64}$'),
  account_id text not null,
  user_id text not null,
  application_id text not null references applications (id) on delete cascade,
  access_ip text,
  created_at timestamptz not null default now(),
  expires_at timestamptz not null,
  revoked_at timestamptz,
  constraint remembered_browsers_expiry check (expires_at > created_at),
  foreign key (user_id, account_id) references users (id, account_id) on delete cascade
);
create index remembered_browsers_by_user on remembered_browsers (user_id, expires_at);

-- The token endpoint reads the authentication log's record of a prompt's outcome by its txid (the
-- id_token's auth_context is that record): without an index each exchange would scan the log.
create index authentication_log_by_txid on authentication_log (txid);
