-- Bypass codes (R-ROLE-2 "Manage 2FA devices and bypass codes", R-ROLE-4; research/duo-api.md
-- §4.1, §4.4, §5). A code is shown once, when it is created; only a salted hash of it is kept
-- (DESIGN; why a salted SHA-256 and not argon2: src/domain/bypass-codes/codes.ts).
create table bypass_codes (
  id text primary key constraint bypass_codes_id_shape check (id ~ '^DB[0-9A-Z]{18}$'),
  account_id text not null,
  user_id text not null,
  -- hex sha256 of the salt and the code; the salt is 16 random bytes, hex.
  code_hash text not null constraint bypass_codes_code_hash_shape check (code_hash ~ '^[0-9a-f]{64}$'),
  salt text not null constraint bypass_codes_salt_shape check (salt ~ '^[0-9a-f]{32}$'),
  -- Duo's reuse_count: how many times the code may be used; 0 = any number of times.
  reuse_count integer not null default 1 constraint bypass_codes_reuse_count check (reuse_count >= 0),
  -- The uses left; null when the code may be used any number of times (reuse_count 0).
  remaining_uses integer,
  -- The admin who created the codes (null: an API integration, or an admin since deleted), and the
  -- actor's name as the audit log gives it, kept when that admin is gone.
  created_by_admin_id text references admins (id) on delete set null,
  created_by text not null,
  created_at timestamptz not null default now(),
  -- Null: never expires (Duo's valid_secs 0).
  expires_at timestamptz,
  constraint bypass_codes_expiry check (expires_at is null or expires_at > created_at),
  constraint bypass_codes_remaining_uses check (
    (reuse_count = 0 and remaining_uses is null)
    or (reuse_count > 0 and remaining_uses between 0 and reuse_count)
  ),
  foreign key (user_id, account_id) references users (id, account_id) on delete cascade
);
create index bypass_codes_by_user on bypass_codes (user_id, created_at, id);
create index bypass_codes_by_account on bypass_codes (account_id, created_at, id);
