-- Centre administrators (issue #13, central/core/admin-accounts.ts): the people who may publish
-- reference data over HTTP. Made on the admin socket / CLI only (`admin-add`), never over the
-- network; a scrypt verifier, never a password. Sign-in failures are counted per user name
-- (known or not, so the answer does not tell which names exist); sessions are short-lived and
-- stored as the SHA-256 of their token; every publication names who made it.
CREATE TABLE centre_admins (
  id uuid PRIMARY KEY,
  username text NOT NULL UNIQUE,
  display_name text NOT NULL,
  -- publisher: may publish; viewer: may only see what is in force.
  role text NOT NULL CHECK (role IN ('publisher', 'viewer')),
  verifier_hash text NOT NULL,
  verifier_salt text NOT NULL,
  active boolean NOT NULL DEFAULT true,
  created_at timestamptz NOT NULL
);

CREATE TABLE centre_admin_failures (
  username text PRIMARY KEY,
  failures integer NOT NULL,
  window_start timestamptz NOT NULL,
  locked_until timestamptz
);

CREATE TABLE centre_admin_sessions (
  token_hash text PRIMARY KEY,
  admin_id uuid NOT NULL REFERENCES centre_admins(id),
  created_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL
);
CREATE INDEX centre_admin_sessions_expiry ON centre_admin_sessions(expires_at);

-- Who did what at the centre's administration: sign-ins (and refusals), publications (and refusals).
CREATE TABLE centre_admin_audit (
  id bigserial PRIMARY KEY,
  at timestamptz NOT NULL,
  -- The administrator's user name, or '管理端口' for the owner-only socket / command line.
  actor text NOT NULL,
  action text NOT NULL,
  ok boolean NOT NULL,
  detail jsonb NOT NULL
);

ALTER TABLE reference_items ADD COLUMN published_by text;
