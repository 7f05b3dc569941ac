-- Issue 13 item 9: usernames and aliases are kept in Unicode NFC, as the domain now stores them, so
-- that a name typed composed or decomposed finds the same user. A stored name whose NFC form another
-- user of the account already holds (or an earlier row of the same clash) keeps its spelling: the
-- unique index must never fail an upgrade, and an Owner can rename that user.
update users as u
set username = normalize(u.username, NFC)
where u.username is not nfc normalized
  and not exists (
    select 1
    from users as o
    where o.account_id = u.account_id
      and o.id <> u.id
      and (
        lower(o.username) = lower(normalize(u.username, NFC))
        or (o.id < u.id and lower(normalize(o.username, NFC)) = lower(normalize(u.username, NFC)))
      )
  );

update users
set aliases = array(select normalize(alias, NFC) from unnest(aliases) as alias)
where exists (select 1 from unnest(aliases) as alias where alias is not nfc normalized);
