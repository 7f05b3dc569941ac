-- Issue 16 item 5, R-POL-3, R-ROLE-3's Policy Impact report: every saved policy change with what
-- it changed in the account's recent logins, worked out when it was saved (the last 30 days of
-- the authentication log replayed under the policies before and after it). `changes` holds the
-- users and applications that came out differently (at most 1,000; the counts cover every one).
create table policy_impacts (
  id bigint generated always as identity primary key,
  account_id text not null references accounts (id) on delete cascade,
  created_at timestamptz not null default now(),
  action text not null constraint policy_impacts_action check (action in ('policy_create', 'policy_update', 'policy_delete')),
  policy_key text not null,
  policy_name text not null,
  actor_name text not null,
  days integer not null,
  attempts integer not null,
  changed_attempts integer not null,
  changes jsonb not null constraint policy_impacts_changes_array check (jsonb_typeof(changes) = 'array')
);
create index policy_impacts_by_account_time on policy_impacts (account_id, created_at desc, id desc);
