-- Administrator sign-in (R-ADM-1..5): sessions, per-address throttling, TOTP replay protection,
-- activation in two steps, inactivity expiry.

-- The last TOTP time step accepted, so a code cannot be replayed within its validity window.
alter table admins add column totp_last_step bigint;
-- A new authenticator being enrolled from the profile, confirmed by a code before it replaces the old one.
alter table admins add column totp_pending_secret_enc text;
alter table admins add column password_changed_at timestamptz;
-- R-ADM-1: the status an admin had before inactivity expired it, restored when an Owner clears it.
-- When an Owner last cleared the admin's inactivity: the inactivity clock starts again there.
alter table admins add column inactivity_cleared_at timestamptz;
alter table admins add column status_before_expiry text
  constraint admins_status_before_expiry check (status_before_expiry in ('Active', 'Disabled', 'Pending Activation'));

-- R-ADM-2: activation is two steps (password, then a confirmed authenticator); the first step's
-- results wait here until the code confirms them, so a half-done activation changes nothing.
alter table admin_activations add column pending_password_hash text;
alter table admin_activations add column pending_totp_secret_enc text;

-- Server-side sessions, shared by every instance. Only a hash of the cookie's id is stored.
create table admin_sessions (
  id_hash text primary key,
  admin_id text not null references admins (id) on delete cascade,
  -- 'second_factor': the password was right, the code is still due; 'active': signed in.
  stage text not null constraint admin_sessions_stage check (stage in ('second_factor', 'active')),
  -- The account the admin has switched into (their home account until they switch).
  account_id text not null references accounts (id) on delete cascade,
  csrf_token text not null,
  ip text,
  user_agent text,
  created_at timestamptz not null default now(),
  last_seen_at timestamptz not null default now(),
  expires_at timestamptz not null,
  constraint admin_sessions_lifetime check (expires_at > created_at)
);
create index admin_sessions_by_admin on admin_sessions (admin_id);
create index admin_sessions_by_expiry on admin_sessions (expires_at);

-- R-ADM-4: sign-in attempts per client address, in fixed windows.
create table sign_in_throttle (
  ip text primary key,
  window_started_at timestamptz not null,
  attempts integer not null constraint sign_in_throttle_attempts check (attempts >= 0)
);

-- Sign-in failures for emails no admin has: logged with the address, in no account's log (there is none).
alter table audit_log alter column account_id drop not null;

-- Every account has its settings row from the moment it exists, so no reader needs a fallback.
insert into account_settings (account_id) select id from accounts on conflict do nothing;
create function accounts_create_settings() returns trigger language plpgsql as $$
begin
  insert into account_settings (account_id) values (new.id) on conflict do nothing;
  return new;
end;
$$;
create trigger accounts_settings_row after insert on accounts
  for each row execute function accounts_create_settings();
