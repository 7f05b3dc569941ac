-- Phones and hardware tokens (R-TEN-2: each account has its own; R-ROLE-2 "Manage 2FA devices",
-- R-ROLE-3, R-UNIT-8f; research/duo-api.md §4.3, §4.4, §5), and which users each belongs to.
-- Neither is a fact the authorization engine reads (a device is decided on through its users'
-- groups), so no authz_version trigger is attached here.

create table phones (
  id text primary key constraint phones_id_shape check (id ~ '^DP[0-9A-Z]{18}$'),
  account_id text not null references accounts (id) on delete cascade,
  -- E.164, as admins_phone_shape; '' for a device without a number (a tablet running Duo Mobile).
  number text not null default '' constraint phones_number_shape check (number = '' or number ~ '^\+[1-9][0-9]{6,14}$'),
  extension text not null default '' constraint phones_extension_shape check (extension ~ '^[0-9#*]{0,15}$'),
  constraint phones_extension_needs_number check (extension = '' or number <> ''),
  name text not null default '' constraint phones_name_length check (length(name) <= 100),
  -- Duo's output spellings (inputs are lowercase on the wire; the Duo door maps them).
  type text not null default 'Unknown' constraint phones_type check (type in ('Mobile', 'Landline', 'Unknown')),
  platform text not null default 'Unknown' constraint phones_platform check (platform in (
    'Unknown', 'Google Android', 'Apple iOS', 'Windows Phone', 'RIM BlackBerry', 'Java J2ME',
    'Palm WebOS', 'Symbian OS', 'Windows Mobile', 'Generic Smartphone')),
  model text not null default 'Unknown' constraint phones_model_length check (length(model) between 1 and 100),
  -- Seconds to wait after the call is answered before dialling the extension, and after it before speaking.
  predelay integer constraint phones_predelay check (predelay between 0 and 60),
  postdelay integer constraint phones_postdelay check (postdelay between 0 and 60),
  -- Set by a Duo Mobile activation and by sending SMS passcodes; Gatehouse does neither yet.
  activated boolean not null default false,
  sms_passcodes_sent boolean not null default false,
  last_seen timestamptz,
  created_at timestamptz not null default now(),
  constraint phones_id_account unique (id, account_id)
);
-- research/duo-api.md §4.3: looking a phone up by number (and extension) finds 0 or 1.
create unique index phones_number_unique on phones (account_id, number, extension) where number <> '';
create index phones_by_account on phones (account_id, number, id);

create table hardware_tokens (
  id text primary key constraint hardware_tokens_id_shape check (id ~ '^DH[0-9A-Z]{18}$'),
  account_id text not null references accounts (id) on delete cascade,
  -- HOTP 6 and 8 digits, TOTP 6 and 8 digits, YubiKey AES, Duo D-100 (which is never created through the API).
  type text not null constraint hardware_tokens_type check (type in ('h6', 'h8', 't6', 't8', 'yk', 'd1')),
  serial text not null constraint hardware_tokens_serial_length check (length(serial) between 1 and 128),
  -- TOTP tokens only: the time step in seconds.
  totp_step integer constraint hardware_tokens_totp_step check (
    (type in ('t6', 't8')) = (totp_step is not null) and (totp_step is null or totp_step in (30, 60))
  ),
  -- HOTP tokens only: the next counter value a code is expected at (moved on by a resync).
  counter bigint constraint hardware_tokens_counter check (
    (type in ('h6', 'h8')) = (counter is not null) and (counter is null or counter >= 0)
  ),
  -- The OTP secret (HOTP, TOTP) or the YubiKey's private id and AES key, AES-256-GCM sealed with
  -- the row's id (src/db/secrets.ts): never stored in clear, never returned. None for a D-100.
  secret_enc text,
  constraint hardware_tokens_secret check ((type = 'd1') = (secret_enc is null)),
  created_at timestamptz not null default now(),
  constraint hardware_tokens_id_account unique (id, account_id)
);
-- research/duo-api.md §4.4: looking a token up by type and serial finds 0 or 1.
create unique index hardware_tokens_serial_unique on hardware_tokens (account_id, type, serial);
create index hardware_tokens_by_account on hardware_tokens (account_id, serial, id);

-- Which users a phone belongs to (a phone may be shared); both sides in one account (R-TEN-2).
create table user_phones (
  user_id text not null,
  phone_id text not null,
  account_id text not null,
  primary key (user_id, phone_id),
  foreign key (user_id, account_id) references users (id, account_id) on delete cascade,
  foreign key (phone_id, account_id) references phones (id, account_id) on delete cascade
);
create index user_phones_by_phone on user_phones (phone_id);

-- Which user a hardware token is assigned to: at most one (a token is in one person's hands).
create table user_hardware_tokens (
  user_id text not null,
  token_id text not null constraint user_hardware_tokens_one_user unique,
  account_id text not null,
  primary key (user_id, token_id),
  foreign key (user_id, account_id) references users (id, account_id) on delete cascade,
  foreign key (token_id, account_id) references hardware_tokens (id, account_id) on delete cascade
);
