-- Issue 14: Gatehouse verifies second factors. Applications of the authenticating types (Auth API,
-- Unix) authenticate users (R-AUTH-1); the factors' secrets and replay state live beside the
-- devices (R-AUTH-2); user status and lockout decide first (R-AUTH-3); every attempt is in the
-- authentication log, written in the transaction of its effects (R-AUTH-4); activation links are
-- single-use, expiring and hashed (R-AUTH-5). None of this is a fact the authorization engine
-- reads, so no authz_version trigger is attached.

-- Every login updates its user's row and spends a code on its phone or token: room left on each
-- page lets PostgreSQL make those updates in place (HOT), without touching the tables' indexes.
alter table users set (fillfactor = 90);
alter table phones set (fillfactor = 90);
alter table hardware_tokens set (fillfactor = 90);

-- R-AUTH-3: consecutive failed passcodes, reset by a success or an unlock; a lockout that ends by
-- itself ends at locked_until (null while locked out: until an admin unlocks).
alter table users
  add column failed_auth_attempts integer not null default 0 constraint users_failed_auth_attempts check (failed_auth_attempts >= 0),
  add column locked_until timestamptz,
  add constraint users_locked_until_only_locked check (locked_until is null or status = 'locked out');

-- Any change of status by any door (an admin unlocking, disabling, putting in bypass) starts the
-- count of failures afresh and ends a timed lockout: one place, so no path can forget it. An
-- authentication sets the count itself (a failure after a lockout ended counts 1), and is obeyed.
create function users_reset_lockout() returns trigger language plpgsql as $$
begin
  if new.status is distinct from old.status and new.status <> 'locked out' then
    new.locked_until := null;
    if new.failed_auth_attempts = old.failed_auth_attempts then
      new.failed_auth_attempts := 0;
    end if;
  end if;
  return new;
end;
$$;
create trigger users_reset_lockout before update of status on users
  for each row execute function users_reset_lockout();

-- A login may name a user by an alias (research/duo-api.md §4.1): found through an index, so an
-- unknown name (a password spray) costs a lookup, not a scan of the account's users. lower() is
-- immutable, and so is this function of it. Users are added far less often than they log in, so
-- the index is updated at each insert (fastupdate off) rather than searched through a pending list.
create function lower_aliases(aliases text[]) returns text[] language sql immutable strict parallel safe as
  $$ select array(select lower(alias) from unnest(aliases) as alias) $$;
create index users_aliases_lower on users using gin (lower_aliases(aliases)) with (fastupdate = off);

alter table account_settings
  -- Duo's lockout_threshold (default 10) and lockout_expire_duration (minutes; null: until unlocked).
  add column user_lockout_threshold integer not null default 10 constraint account_settings_user_lockout_threshold check (user_lockout_threshold between 1 and 100),
  add column user_lockout_minutes integer constraint account_settings_user_lockout_minutes check (user_lockout_minutes between 1 and 525600),
  -- A user with no usable device: require enrollment, allow without 2FA, or deny (until policies).
  add column new_user_policy text not null default 'enroll' constraint account_settings_new_user_policy check (new_user_policy in ('enroll', 'allow', 'deny')),
  -- The account's outbound SMS gateway: a request per message, its body a template with {{to}}
  -- and {{message}}; the secret header's value is sealed with the account id (src/db/secrets.ts).
  add column sms_gateway_url text constraint account_settings_sms_gateway_url check (sms_gateway_url ~ '^https?://[^\s]+$' and length(sms_gateway_url) <= 2000),
  add column sms_gateway_method text not null default 'POST' constraint account_settings_sms_gateway_method check (sms_gateway_method in ('POST', 'PUT', 'GET')),
  add column sms_gateway_content_type text not null default 'application/json' constraint account_settings_sms_gateway_content_type check (sms_gateway_content_type in ('application/json', 'application/x-www-form-urlencoded', 'text/plain')),
  add column sms_gateway_body text not null default '{"to":"{{to}}","message":"{{message}}"}' constraint account_settings_sms_gateway_body check (length(sms_gateway_body) <= 4000),
  add column sms_gateway_secret_header text constraint account_settings_sms_gateway_secret_header check (sms_gateway_secret_header ~ '^[A-Za-z0-9-]{1,100}$'),
  add column sms_gateway_secret_enc text,
  add constraint account_settings_sms_gateway_secret check ((sms_gateway_secret_header is null) = (sms_gateway_secret_enc is null));

-- Duo's v1 signature (duo_unix 1.11) signs no date, so a captured request replays forever: it is
-- accepted only for a Unix application whose admin turned this on (off by default).
alter table applications
  add column legacy_unix_clients boolean not null default false,
  add constraint applications_legacy_unix_clients check (not legacy_unix_clients or type = 'unix');

-- An authenticator app on the phone (Duo's mobile_otp capability): its TOTP secret, sealed with
-- the phone's id, set when the user activates it; the last time step used (each code works once).
alter table phones
  add column totp_secret_enc text,
  add column totp_last_step bigint;

-- Replay state: a TOTP token's last step and the clock drift it has shown (in steps); a
-- YubiKey's last (usage counter, session counter) pair, which every OTP must exceed.
alter table hardware_tokens
  add column totp_last_step bigint,
  add column totp_drift integer not null default 0 constraint hardware_tokens_totp_drift check (totp_drift between -10 and 10),
  add column yubikey_counter integer constraint hardware_tokens_yubikey_counter check (yubikey_counter between 0 and 32767),
  add column yubikey_use integer constraint hardware_tokens_yubikey_use check (yubikey_use between 0 and 255),
  add constraint hardware_tokens_yubikey_state check ((yubikey_counter is null) = (yubikey_use is null) and (yubikey_counter is null or type = 'yk'));

-- SMS passcodes sent to a phone: hashed like bypass codes, single-use, expiring.
create table sms_passcodes (
  id bigint generated always as identity primary key,
  account_id text not null,
  phone_id text not null,
  code_hash text not null constraint sms_passcodes_code_hash_shape check (code_hash ~ '^[0-9a-f]{64}$'),
  salt text not null constraint sms_passcodes_salt_shape check (salt ~ '^[0-9a-f]{32}$'),
  created_at timestamptz not null default now(),
  expires_at timestamptz not null,
  used_at timestamptz,
  foreign key (phone_id, account_id) references phones (id, account_id) on delete cascade
);
create index sms_passcodes_by_phone on sms_passcodes (phone_id, expires_at) where used_at is null;

-- R-AUTH-5: a link that activates an authenticator app on a user's phone. Only the token's
-- SHA-256 is kept; the pending secret is sealed with the row's id and moves to the phone when the
-- user proves a first code.
create table device_activations (
  id text primary key constraint device_activations_id_shape check (id ~ '^DY[0-9A-Z]{18}$'),
  account_id text not null,
  user_id text not null,
  phone_id text not null,
  token_hash text not null unique constraint device_activations_token_hash_shape check (token_hash ~ '^[0-9a-f]{64}$'),
  -- Duo's activation_code is what the client sends back to enroll_status: kept hashed as well.
  code_hash text not null unique constraint device_activations_code_hash_shape check (code_hash ~ '^[0-9a-f]{64}$'),
  pending_secret_enc text not null,
  created_at timestamptz not null default now(),
  expires_at timestamptz not null,
  activated_at timestamptz,
  constraint device_activations_expiry check (expires_at > created_at),
  foreign key (user_id, account_id) references users (id, account_id) on delete cascade,
  foreign key (phone_id, account_id) references phones (id, account_id) on delete cascade
);
create index device_activations_by_user on device_activations (user_id, created_at);
create index device_activations_by_phone on device_activations (phone_id);

-- An authentication started with async=1, polled with auth_status on any instance. Every factor
-- Gatehouse verifies ends at once, so a transaction is final when it is written.
create table auth_transactions (
  txid uuid primary key,
  account_id text not null references accounts (id) on delete cascade,
  application_id text not null references applications (id) on delete cascade,
  result text not null constraint auth_transactions_result check (result in ('allow', 'deny', 'waiting')),
  status text not null constraint auth_transactions_status_shape check (status ~ '^[a-z_]{1,40}$'),
  status_msg text not null,
  created_at timestamptz not null default now(),
  expires_at timestamptz not null
);
create index auth_transactions_expiry on auth_transactions (expires_at);

-- R-AUTH-4: every authentication attempt, allowed or denied, with Duo's v2 record fields
-- (research/duo-api.md §4.9). Names are copied in, so a record outlives its user or application.
create table authentication_log (
  id bigint generated always as identity primary key,
  txid uuid not null,
  account_id text not null references accounts (id) on delete cascade,
  created_at timestamptz not null default now(),
  event_type text not null constraint authentication_log_event_type check (event_type in ('authentication', 'enrollment')),
  result text not null constraint authentication_log_result check (result in ('success', 'denied', 'error', 'fraud')),
  reason text not null constraint authentication_log_reason_shape check (reason ~ '^[a-z][a-z0-9_]{0,63}$'),
  factor text not null constraint authentication_log_factor_shape check (factor ~ '^[a-z][a-z0-9_]{0,63}$'),
  user_id text,
  username text not null constraint authentication_log_username_length check (length(username) <= 300),
  user_groups text[] not null default '{}',
  -- Null for an enrollment through a link an admin made in the panel.
  application_id text,
  application_name text,
  access_ip text constraint authentication_log_access_ip_length check (length(access_ip) <= 100),
  access_hostname text constraint authentication_log_access_hostname_length check (length(access_hostname) <= 300),
  auth_device_id text,
  auth_device_name text
);
create index authentication_log_by_account_time on authentication_log (account_id, created_at desc, id desc);
create index authentication_log_by_user on authentication_log (user_id, created_at desc) where user_id is not null;
create index authentication_log_by_application on authentication_log (application_id, created_at desc) where application_id is not null;

-- The telephony log: every SMS Gatehouse sends, and the credits it used.
create table telephony_log (
  id bigint generated always as identity primary key,
  account_id text not null references accounts (id) on delete cascade,
  created_at timestamptz not null default now(),
  type text not null constraint telephony_log_type check (type in ('sms')),
  context text not null constraint telephony_log_context check (context in ('authentication', 'activation', 'test')),
  phone_number text not null,
  credits integer not null constraint telephony_log_credits check (credits >= 0),
  user_id text,
  txid uuid
);
create index telephony_log_by_account_time on telephony_log (account_id, created_at desc, id desc);

-- Both logs are append-only, as the administrator actions log is.
create function authentication_logs_refuse_update() returns trigger language plpgsql as $$
begin
  raise exception '% is append-only', tg_table_name using errcode = 'restrict_violation';
end;
$$;
create trigger authentication_log_append_only before update on authentication_log
  for each row execute function authentication_logs_refuse_update();
create trigger telephony_log_append_only before update on telephony_log
  for each row execute function authentication_logs_refuse_update();
