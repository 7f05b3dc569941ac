-- The authorization engine decides from a per-tenant snapshot cached by `accounts.authz_version`
-- (of the parent). Every write to a fact the engine reads bumps that version here, in the writing
-- transaction, so no code path can forget to, and a cached snapshot is never reused after a change.

-- The row's tenant, found through the column named by the first argument, an id in the table named
-- by the second (accounts or admins; both carry tenant_id).
create function bump_authz_version() returns trigger language plpgsql as $$
declare
  changed jsonb := case when tg_op = 'DELETE' then to_jsonb(old) else to_jsonb(new) end;
  tenant text;
begin
  execute format('select tenant_id from %I where id = $1', tg_argv[1])
    into tenant using changed ->> tg_argv[0];
  update accounts set authz_version = authz_version + 1 where id = tenant;
  return null;
end;
$$;

-- An account row names its tenant itself (a deleted subaccount's row is gone by the time this runs).
create function bump_authz_version_of_account() returns trigger language plpgsql as $$
declare
  changed jsonb := case when tg_op = 'DELETE' then to_jsonb(old) else to_jsonb(new) end;
begin
  update accounts set authz_version = authz_version + 1
   where id = coalesce(changed ->> 'parent_id', changed ->> 'id');
  return null;
end;
$$;

create trigger accounts_authz_version after insert or delete or update of name, edition, nfr on accounts
  for each row execute function bump_authz_version_of_account();
create trigger subaccount_tags_authz_version after insert or delete or update on subaccount_tags
  for each row execute function bump_authz_version('account_id', 'accounts');
create trigger admins_authz_version
  after insert or delete or update of role, subaccount_role, status, restricted_by_units, directory_synced, email, name
  on admins for each row execute function bump_authz_version('account_id', 'accounts');
create trigger admin_tags_authz_version after insert or delete or update on admin_tags
  for each row execute function bump_authz_version('admin_id', 'admins');
create trigger admin_units_authz_version after insert or delete or update on admin_units
  for each row execute function bump_authz_version('account_id', 'accounts');
create trigger admin_unit_admins_authz_version after insert or delete or update on admin_unit_admins
  for each row execute function bump_authz_version('account_id', 'accounts');
create trigger admin_unit_groups_authz_version after insert or delete or update on admin_unit_groups
  for each row execute function bump_authz_version('account_id', 'accounts');
create trigger admin_unit_applications_authz_version after insert or delete or update on admin_unit_applications
  for each row execute function bump_authz_version('account_id', 'accounts');
create trigger account_settings_authz_version
  after update of helpdesk_bypass, helpdesk_bypass_expiration, helpdesk_can_send_enroll_email, user_managers_can_put_users_in_bypass
  on account_settings for each row execute function bump_authz_version('account_id', 'accounts');
