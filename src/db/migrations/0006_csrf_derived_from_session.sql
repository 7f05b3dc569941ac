-- Issue 13: the CSRF token is no longer stored. It is derived from the session's secret cookie
-- value (an HMAC keyed by it), so the database holds nothing that passes the CSRF check, just as it
-- holds only a hash of the session id. Open sessions keep working: their token is derived anew.
alter table admin_sessions drop column csrf_token;
