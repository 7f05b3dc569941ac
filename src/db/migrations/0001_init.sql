-- Gatehouse schema, first release. Append-only: never edit this file once released; add 0002_... instead.
-- Invariants the database can hold are held here, so no code path (panel, Duo API, CLI, a bug) can break them.

-- R-TEN-1: an account is a parent (parent_id null) or a subaccount of a parent; subaccounts do not nest.
-- A subaccount's parent reference carries a constant `false` for "the parent is not a subaccount",
-- checked by a composite foreign key against the parent's generated is_subaccount.
create table accounts (
  id text primary key constraint accounts_id_shape check (id ~ '^DA[0-9A-Z]{18}$'),
  parent_id text,
  is_subaccount boolean generated always as (parent_id is not null) stored,
  tenant_id text generated always as (coalesce(parent_id, id)) stored,
  parent_is_subaccount boolean not null default false constraint accounts_no_nesting check (not parent_is_subaccount),
  name text not null constraint accounts_name_length check (length(btrim(name)) between 1 and 100),
  -- R-TEN-4
  edition text not null default 'Free'
    constraint accounts_edition check (edition in ('Free', 'Essentials', 'Advantage', 'Premier')),
  -- R-TEN-3
  nfr boolean not null default false,
  -- Bumped by every write that changes what the authorization engine reads (DESIGN.md).
  authz_version bigint not null default 1,
  created_at timestamptz not null default now(),
  constraint accounts_id_kind unique (id, is_subaccount),
  constraint accounts_id_tenant unique (id, tenant_id),
  constraint accounts_parent_fk foreign key (parent_id, parent_is_subaccount)
    references accounts (id, is_subaccount) on delete restrict
);
create unique index accounts_subaccount_name_unique on accounts (parent_id, lower(name)) where parent_id is not null;

-- R-TAG-1, R-TAG-3: a tag is a case-sensitive name that exists while it is assigned to something, so the
-- tag list is the union of the two assignment tables and an unassigned tag disappears by construction.
create table subaccount_tags (
  account_id text not null,
  account_is_subaccount boolean not null default true constraint subaccount_tags_on_subaccount check (account_is_subaccount),
  tag text not null constraint subaccount_tags_tag_shape check (length(tag) between 1 and 64 and tag = btrim(tag)),
  primary key (account_id, tag),
  foreign key (account_id, account_is_subaccount) references accounts (id, is_subaccount) on delete cascade
);
create index subaccount_tags_by_tag on subaccount_tags (tag);

create table admins (
  id text primary key constraint admins_id_shape check (id ~ '^DE[0-9A-Z]{18}$'),
  account_id text not null,
  -- Denormalised from the account, and held equal to it by the foreign keys below, so that R-TEN-6 is one unique index.
  tenant_id text not null,
  home_is_subaccount boolean not null,
  email text not null constraint admins_email_shape check (length(email) <= 254 and email ~ '^[^@[:space:]]+@[^@[:space:]]+$'),
  name text not null constraint admins_name_length check (length(btrim(name)) between 1 and 100),
  phone text constraint admins_phone_shape check (phone ~ '^\+[1-9][0-9]{6,14}$'),
  -- R-ROLE-1
  role text not null constraint admins_role check (role in ('Owner', 'Administrator', 'Application Manager', 'User Manager', 'Help Desk', 'Billing', 'Read-only')),
  subaccount_role text constraint admins_subaccount_role check (subaccount_role in ('Owner', 'Administrator', 'Application Manager', 'User Manager', 'Help Desk', 'Billing', 'Read-only')),
  -- R-SUB-1, R-SUB-5: parent-level admins have a subaccount role; admins of a subaccount have none.
  constraint admins_subaccount_role_only_at_parent check (home_is_subaccount = (subaccount_role is null)),
  -- R-SUB-2
  constraint admins_owner_subaccount_role check (role <> 'Owner' or home_is_subaccount or subaccount_role = 'Owner'),
  -- R-ADM-1
  status text not null default 'Pending Activation'
    constraint admins_status check (status in ('Active', 'Disabled', 'Expired', 'Pending Activation')),
  restricted_by_units boolean not null default false,
  -- R-UNIT-8h
  constraint admins_owner_not_restricted check (not (restricted_by_units and role = 'Owner')),
  directory_synced boolean not null default false,
  -- R-ADM-5: a bootstrap Owner created from the CLI stays flagged until an Owner removes it.
  is_temporary boolean not null default false,
  password_hash text,
  password_change_required boolean not null default false,
  totp_secret_enc text,
  failed_sign_ins integer not null default 0 constraint admins_failed_sign_ins check (failed_sign_ins >= 0),
  locked_until timestamptz,
  last_sign_in_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint admins_id_account unique (id, account_id),
  constraint admins_id_account_restricted unique (id, account_id, restricted_by_units),
  constraint admins_id_home_kind unique (id, home_is_subaccount),
  constraint admins_account_fk foreign key (account_id, tenant_id) references accounts (id, tenant_id) on delete cascade,
  constraint admins_home_kind_fk foreign key (account_id, home_is_subaccount) references accounts (id, is_subaccount) on delete cascade
);
-- R-TEN-6: one email, one admin, across a parent and all its subaccounts (case-insensitive), race-proof.
create unique index admins_email_unique_in_tenant on admins (tenant_id, lower(email));
create index admins_by_account on admins (account_id, lower(name));

-- R-TAG-1: tags on parent-level admins only.
create table admin_tags (
  admin_id text not null,
  admin_home_is_subaccount boolean not null default false constraint admin_tags_parent_admin check (not admin_home_is_subaccount),
  tag text not null constraint admin_tags_tag_shape check (length(tag) between 1 and 64 and tag = btrim(tag)),
  primary key (admin_id, tag),
  foreign key (admin_id, admin_home_is_subaccount) references admins (id, home_is_subaccount) on delete cascade
);
create index admin_tags_by_tag on admin_tags (tag);

-- R-ADM-2: single-use activation links; only a hash of the token is stored.
create table admin_activations (
  id text primary key constraint admin_activations_id_shape check (id ~ '^DX[0-9A-Z]{18}$'),
  admin_id text not null references admins (id) on delete cascade,
  token_hash text not null constraint admin_activations_token_hash_unique unique,
  expires_at timestamptz not null,
  used_at timestamptz,
  created_at timestamptz not null default now(),
  constraint admin_activations_expiry check (expires_at > created_at)
);
create index admin_activations_by_admin on admin_activations (admin_id);

create table users (
  id text primary key constraint users_id_shape check (id ~ '^DU[0-9A-Z]{18}$'),
  account_id text not null references accounts (id) on delete cascade,
  username text not null constraint users_username_length check (length(btrim(username)) between 1 and 100),
  aliases text[] not null default '{}' constraint users_aliases_count check (cardinality(aliases) <= 8),
  real_name text not null default '',
  email text not null default '',
  status text not null default 'active'
    constraint users_status check (status in ('active', 'bypass', 'disabled', 'locked out', 'pending deletion')),
  notes text not null default '',
  last_login_at timestamptz,
  last_directory_sync_at timestamptz,
  created_at timestamptz not null default now(),
  constraint users_id_account unique (id, account_id)
);
create unique index users_username_unique on users (account_id, lower(username));

create table groups (
  id text primary key constraint groups_id_shape check (id ~ '^DG[0-9A-Z]{18}$'),
  account_id text not null references accounts (id) on delete cascade,
  name text not null constraint groups_name_length check (length(btrim(name)) between 1 and 100),
  description text not null default '',
  status text not null default 'active' constraint groups_status check (status in ('active', 'bypass', 'disabled')),
  created_at timestamptz not null default now(),
  constraint groups_id_account unique (id, account_id)
);
create unique index groups_name_unique on groups (account_id, lower(name));

-- Memberships stay inside one account (R-TEN-2): both sides are keyed with the account.
create table group_members (
  group_id text not null,
  user_id text not null,
  account_id text not null,
  primary key (group_id, user_id),
  foreign key (group_id, account_id) references groups (id, account_id) on delete cascade,
  foreign key (user_id, account_id) references users (id, account_id) on delete cascade
);
create index group_members_by_user on group_members (user_id);

-- Applications are Duo "integrations": the id is the 20-character integration key.
create table applications (
  id text primary key constraint applications_id_shape check (id ~ '^DI[0-9A-Z]{18}$'),
  account_id text not null,
  account_is_subaccount boolean not null,
  type text not null constraint applications_type_shape check (type ~ '^[a-z0-9][a-z0-9-]{0,63}$'),
  name text not null constraint applications_name_length check (length(btrim(name)) between 1 and 100),
  notes text not null default '',
  greeting text not null default '',
  -- 40-character secret key, AES-256-GCM encrypted (src/db/secrets.ts); never stored in clear.
  secret_key_enc text not null,
  -- Duo's "Grant ..." permissions; only API applications carry any.
  grants text[] not null default '{}'
    constraint applications_grants check (grants <@ array['adminapi_admins', 'adminapi_info', 'adminapi_integrations', 'adminapi_read_log', 'adminapi_read_resource', 'adminapi_settings', 'adminapi_write_resource']::text[]),
  constraint applications_grants_only_for_api check (cardinality(grants) = 0 or type in ('adminapi', 'accountsapi')),
  -- R-TEN-5: the Accounts API belongs to a parent.
  constraint applications_accountsapi_at_parent check (type <> 'accountsapi' or not account_is_subaccount),
  created_at timestamptz not null default now(),
  constraint applications_id_account unique (id, account_id),
  foreign key (account_id, account_is_subaccount) references accounts (id, is_subaccount) on delete cascade
);
create index applications_by_account on applications (account_id, lower(name));

-- R-UNIT-2
create table admin_units (
  id text primary key constraint admin_units_id_shape check (id ~ '^DN[0-9A-Z]{18}$'),
  account_id text not null references accounts (id) on delete cascade,
  name text not null constraint admin_units_name_length check (length(btrim(name)) between 1 and 100),
  description text not null default '',
  all_applications boolean not null default true,
  all_groups boolean not null default true,
  created_at timestamptz not null default now(),
  constraint admin_units_id_account unique (id, account_id)
);
create unique index admin_units_name_unique on admin_units (account_id, lower(name));

-- R-SUB-6: a unit holds only its own account's admins, and only restricted ones (R-UNIT-4, R-UNIT-8h).
create table admin_unit_admins (
  unit_id text not null,
  admin_id text not null,
  account_id text not null,
  admin_restricted boolean not null default true constraint admin_unit_admins_restricted check (admin_restricted),
  primary key (unit_id, admin_id),
  foreign key (unit_id, account_id) references admin_units (id, account_id) on delete cascade,
  foreign key (admin_id, account_id, admin_restricted) references admins (id, account_id, restricted_by_units) on delete cascade
);
create index admin_unit_admins_by_admin on admin_unit_admins (admin_id);

-- R-UNIT-3: a group can be in many units.
create table admin_unit_groups (
  unit_id text not null,
  group_id text not null,
  account_id text not null,
  primary key (unit_id, group_id),
  foreign key (unit_id, account_id) references admin_units (id, account_id) on delete cascade,
  foreign key (group_id, account_id) references groups (id, account_id) on delete cascade
);
create index admin_unit_groups_by_group on admin_unit_groups (group_id);

-- R-UNIT-3: an application is in at most one unit.
create table admin_unit_applications (
  unit_id text not null,
  application_id text not null constraint admin_unit_applications_one_unit unique,
  account_id text not null,
  primary key (unit_id, application_id),
  foreign key (unit_id, account_id) references admin_units (id, account_id) on delete cascade,
  foreign key (application_id, account_id) references applications (id, account_id) on delete cascade
);

-- R-ROLE-4 and the administrator sign-in policy (R-ADM-1, R-ADM-3, R-ADM-4); one row per account.
create table account_settings (
  account_id text primary key references accounts (id) on delete cascade,
  helpdesk_bypass text not null default 'allow' constraint account_settings_helpdesk_bypass check (helpdesk_bypass in ('allow', 'limit', 'deny')),
  helpdesk_bypass_expiration integer not null default 60 constraint account_settings_helpdesk_bypass_expiration check (helpdesk_bypass_expiration between 1 and 525600),
  helpdesk_can_send_enroll_email boolean not null default false,
  user_managers_can_put_users_in_bypass boolean not null default true,
  admin_password_min_length integer not null default 12 constraint account_settings_password_min_length check (admin_password_min_length between 8 and 128),
  admin_password_require_upper boolean not null default false,
  admin_password_require_lower boolean not null default false,
  admin_password_require_digit boolean not null default false,
  admin_password_require_special boolean not null default false,
  admin_lockout_threshold integer not null default 10 constraint account_settings_lockout_threshold check (admin_lockout_threshold between 1 and 100),
  admin_lockout_minutes integer not null default 30 constraint account_settings_lockout_minutes check (admin_lockout_minutes between 1 and 10080),
  -- null: admins never expire for inactivity.
  admin_inactivity_days integer constraint account_settings_inactivity_days check (admin_inactivity_days between 1 and 3650),
  admin_session_idle_minutes integer not null default 30 constraint account_settings_session_idle check (admin_session_idle_minutes between 1 and 1440),
  admin_session_max_hours integer not null default 12 constraint account_settings_session_max check (admin_session_max_hours between 1 and 720),
  admin_activation_valid_days integer not null default 7 constraint account_settings_activation_days check (admin_activation_valid_days between 1 and 31),
  updated_at timestamptz not null default now()
);

-- R-AUD-1: the Administrator Actions log, written in the same transaction as the change it records.
create table audit_log (
  id bigint generated always as identity primary key,
  account_id text not null references accounts (id) on delete cascade,
  actor_kind text not null constraint audit_log_actor_kind check (actor_kind in ('admin', 'application', 'system')),
  actor_id text,
  actor_name text not null,
  action text not null constraint audit_log_action_shape check (action ~ '^[a-z][a-z0-9_]*$'),
  object_kind text,
  object_id text,
  object_name text,
  before jsonb,
  after jsonb,
  -- R-AUD-2: the rule behind a denied attempt.
  rule text,
  ip text,
  user_agent text,
  created_at timestamptz not null default now()
);
create index audit_log_by_account_time on audit_log (account_id, created_at desc, id desc);
create index audit_log_by_object on audit_log (object_id) where object_id is not null;

-- The log is append-only: rows may go with their account, never be rewritten.
create function audit_log_refuse_update() returns trigger language plpgsql as $$
begin
  raise exception 'the administrator actions log is append-only' using errcode = 'restrict_violation';
end;
$$;
create trigger audit_log_append_only before update on audit_log
  for each row execute function audit_log_refuse_update();
