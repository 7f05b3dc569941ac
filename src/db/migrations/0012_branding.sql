-- Issue 15: the account's branding on the hosted prompt (src/domain/branding): the name shown to
-- users logging in (null: the account's own name) and the colour of the prompt's buttons (null:
-- Gatehouse's own), which must keep white text readable (checked by the domain: WCAG contrast).
alter table account_settings
  add column branding_name text constraint account_settings_branding_name check (branding_name = btrim(branding_name) and length(branding_name) between 1 and 100),
  add column branding_colour text constraint account_settings_branding_colour check (branding_colour ~ '^#[0-9a-f]{6}$');

-- The logo, apart from account_settings: that row is read whole (select *) at every administrator
-- sign-in, and should not carry up to 200 KB of image with it. One logo per account; the domain
-- checks the bytes themselves (PNG or JPEG by their signature, never SVG) and reads the size from
-- the image's header. The hash (SHA-256 of the bytes) is the logo's ETag and is in its URL, so a
-- new logo has a new URL and the old one can be cached forever.
create table account_logos (
  account_id text primary key references accounts (id) on delete cascade,
  content_type text not null constraint account_logos_content_type check (content_type in ('image/png', 'image/jpeg')),
  bytes bytea not null constraint account_logos_bytes check (octet_length(bytes) between 1 and 204800),
  hash text not null constraint account_logos_hash check (hash ~ '^[0-9a-f]{64}$'),
  width integer not null constraint account_logos_width check (width between 16 and 1024),
  height integer not null constraint account_logos_height check (height between 16 and 1024),
  updated_at timestamptz not null default now()
);
