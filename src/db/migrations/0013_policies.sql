-- Issue 16, R-POL-1: policies. Every account has one global policy; custom policies apply to an
-- application as a whole, or to chosen groups within an application. A policy's settings are
-- Duo's `sections` (src/authn/policy-sections.ts checks them before they are written): a custom
-- policy holds only the sections it sets, and an unset one falls through to the next policy.
create table policies (
  -- Duo's policy_key.
  id text primary key constraint policies_id_shape check (id ~ '^PO[0-9A-Z]{18}$'),
  account_id text not null references accounts (id) on delete cascade,
  name text not null constraint policies_name_length check (name = btrim(name) and length(name) between 1 and 100),
  is_global boolean not null default false,
  sections jsonb not null default '{}' constraint policies_sections_object check (jsonb_typeof(sections) = 'object'),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint policies_id_account unique (id, account_id)
);
create unique index policies_one_global on policies (account_id) where is_global;
create unique index policies_name_unique on policies (account_id, lower(name));

-- An application's own policy: at most one. The global policy is never applied (the domain refuses
-- it): it applies wherever nothing more specific does.
create table application_policies (
  application_id text primary key,
  account_id text not null,
  policy_id text not null,
  foreign key (application_id, account_id) references applications (id, account_id) on delete cascade,
  foreign key (policy_id, account_id) references policies (id, account_id) on delete cascade
);
create index application_policies_by_policy on application_policies (policy_id);

-- A policy for the members of a group, within one application. A user in several such groups gets
-- the policy of the first by position (then by group id), as the panel lists them.
create table group_policies (
  application_id text not null,
  group_id text not null,
  account_id text not null,
  policy_id text not null,
  position integer not null default 0 constraint group_policies_position check (position between 0 and 10000),
  primary key (application_id, group_id),
  foreign key (application_id, account_id) references applications (id, account_id) on delete cascade,
  foreign key (group_id, account_id) references groups (id, account_id) on delete cascade,
  foreign key (policy_id, account_id) references policies (id, account_id) on delete cascade
);
create index group_policies_by_policy on group_policies (policy_id);
create index group_policies_by_group on group_policies (group_id);

-- An id of Duo's shape for a policy made here, in SQL: the global policies of the accounts that
-- exist now and of every account made from now on.
create function new_policy_id() returns text language sql volatile as $$
  select 'PO' || string_agg(substr('0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ', 1 + floor(random() * 36)::int, 1), '')
    from generate_series(1, 18)
$$;

-- The new-user policy and "Remember me" were account settings until now (0008, 0009): they become
-- the global policy's new_user and remembered_devices sections, the only place they are kept.
insert into policies (id, account_id, name, is_global, sections)
select new_policy_id(), s.account_id, 'Global Policy', true,
       jsonb_build_object(
         'new_user', jsonb_build_object('new_user_behavior',
           case s.new_user_policy when 'allow' then 'no-mfa' else s.new_user_policy end),
         'authentication_policy', jsonb_build_object('user_auth_behavior', 'enforce'),
         'authorized_networks', jsonb_build_object('allow_without_2fa_networks', '[]'::jsonb,
           'require_2fa_networks', '[]'::jsonb, 'deny_other_networks', false),
         'authentication_methods', jsonb_build_object('allowed_auth_list',
           '["duo-passcode", "hardware-token", "sms", "webauthn-roaming", "webauthn-platform", "bypass"]'::jsonb,
           'blocked_auth_list', '[]'::jsonb),
         'remembered_devices', jsonb_build_object('browser_apps', jsonb_build_object(
           'enabled', s.remembered_browser_days is not null,
           'user_based', jsonb_build_object('max_time_value', coalesce(s.remembered_browser_days, 1),
             'max_time_units', 'days', 'confirm_per_app', true))))
  from account_settings s;

alter table account_settings drop column new_user_policy, drop column remembered_browser_days;

-- A new account's global policy: the defaults of src/authn/policy-sections.ts, which an empty
-- sections object stands for (every unset section of the global policy reads as its default).
create function accounts_create_global_policy() returns trigger language plpgsql as $$
begin
  insert into policies (id, account_id, name, is_global) values (new_policy_id(), new.id, 'Global Policy', true);
  return new;
end;
$$;
create trigger accounts_global_policy after insert on accounts
  for each row execute function accounts_create_global_policy();

-- R-AUTH-4: the policy that decided an attempt, and which of its sections (null where no policy
-- did: a disabled, locked-out or bypass user, a wrong passcode). Its name as it was then.
alter table authentication_log
  add column policy_key text,
  add column policy_name text,
  add column policy_section text constraint authentication_log_policy_section check (
    policy_section in ('new_user', 'authentication_policy', 'authorized_networks', 'authentication_methods', 'remembered_devices')
  );

-- R-POL-2's remembered devices: a browser remembered where the policy says "across applications"
-- is admitted by any application whose policy says so too; otherwise only by its own.
alter table remembered_browsers
  add column across_applications boolean not null default false;
