/**
 * Numbered migrations, Postgres dialect (PGlite and Postgres alike). Each runs
 * in one transaction and is recorded in schema_migrations; never edit a
 * shipped one — add the next number.
 */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

const synced = `
  version integer NOT NULL DEFAULT 1,
  rev bigint NOT NULL DEFAULT nextval('rev_seq'),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()`;

export const migrations: Migration[] = [
  {
    version: 1,
    name: 'initial schema',
    sql: `
CREATE SEQUENCE rev_seq;
CREATE SEQUENCE case_number_seq START 1001;

CREATE TABLE settings (key text PRIMARY KEY, value text NOT NULL);

CREATE TABLE users (
  id uuid PRIMARY KEY,
  username text NOT NULL UNIQUE,
  name text NOT NULL,
  role text NOT NULL CHECK (role IN ('agent','supervisor','technician','admin')),
  password_hash text NOT NULL,${synced}
);

CREATE TABLE queues (
  id uuid PRIMARY KEY,
  name text NOT NULL UNIQUE,
  description text NOT NULL DEFAULT '',${synced}
);

CREATE TABLE queue_members (
  queue_id uuid NOT NULL REFERENCES queues(id) ON DELETE CASCADE,
  user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  PRIMARY KEY (queue_id, user_id)
);

CREATE TABLE customers (
  id uuid PRIMARY KEY,
  name text NOT NULL,
  email text,
  phone text,
  handles jsonb NOT NULL DEFAULT '{}',
  plan text NOT NULL,
  lifetime_value double precision NOT NULL DEFAULT 0,
  influence double precision NOT NULL DEFAULT 0,
  language text NOT NULL,
  preferred_channel text NOT NULL,
  consent boolean NOT NULL DEFAULT false,${synced}
);

CREATE TABLE devices (
  id text PRIMARY KEY,
  model text NOT NULL,
  serial text NOT NULL,
  owner_id uuid REFERENCES customers(id),
  health text NOT NULL DEFAULT 'ok',
  last_telemetry_at timestamptz,
  token_hash text NOT NULL,${synced}
);

CREATE TABLE cases (
  id uuid PRIMARY KEY,
  number integer NOT NULL UNIQUE DEFAULT nextval('case_number_seq'),
  subject text NOT NULL,
  status text NOT NULL,
  priority text NOT NULL,
  channel text NOT NULL,
  customer_id uuid REFERENCES customers(id),
  device_id text REFERENCES devices(id),
  queue_id uuid NOT NULL REFERENCES queues(id),
  assignee_id uuid REFERENCES users(id),
  sla_due_at timestamptz,
  language text NOT NULL,
  sentiment double precision,
  tags jsonb NOT NULL DEFAULT '[]',${synced}
);
CREATE INDEX cases_rev ON cases (rev);
CREATE INDEX cases_queue_status ON cases (queue_id, status);
CREATE INDEX cases_assignee ON cases (assignee_id);

CREATE TABLE messages (
  id uuid PRIMARY KEY,
  case_id uuid NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
  direction text NOT NULL,
  channel text NOT NULL,
  author text NOT NULL,
  body text NOT NULL,
  external_id text,${synced}
);
CREATE INDEX messages_case ON messages (case_id, created_at);
CREATE INDEX messages_rev ON messages (rev);
CREATE UNIQUE INDEX messages_external ON messages (channel, external_id) WHERE external_id IS NOT NULL;

CREATE INDEX customers_rev ON customers (rev);
CREATE INDEX devices_rev ON devices (rev);
CREATE INDEX users_rev ON users (rev);
CREATE INDEX queues_rev ON queues (rev);

CREATE TABLE telemetry (
  id bigserial PRIMARY KEY,
  device_id text NOT NULL REFERENCES devices(id),
  metric text NOT NULL,
  value double precision NOT NULL,
  ts timestamptz NOT NULL,
  received_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX telemetry_device_ts ON telemetry (device_id, ts);

CREATE TABLE device_rules (
  id uuid PRIMARY KEY,
  name text NOT NULL,
  device_id text REFERENCES devices(id),
  metric text NOT NULL,
  operator text NOT NULL CHECK (operator IN ('>','<')),
  threshold double precision NOT NULL,
  consecutive integer NOT NULL CHECK (consecutive >= 1),
  queue_id uuid NOT NULL REFERENCES queues(id),
  priority text NOT NULL,
  enabled boolean NOT NULL DEFAULT true
);

CREATE TABLE rule_state (
  rule_id uuid NOT NULL REFERENCES device_rules(id) ON DELETE CASCADE,
  device_id text NOT NULL REFERENCES devices(id),
  streak integer NOT NULL DEFAULT 0,
  open_case_id uuid REFERENCES cases(id),
  PRIMARY KEY (rule_id, device_id)
);

CREATE TABLE alerts (
  id uuid PRIMARY KEY,
  device_id text NOT NULL REFERENCES devices(id),
  rule_id uuid NOT NULL REFERENCES device_rules(id),
  case_id uuid NOT NULL REFERENCES cases(id),
  metric text NOT NULL,
  value double precision NOT NULL,
  message text NOT NULL,
  at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE mentions (
  id uuid PRIMARY KEY,
  channel text NOT NULL,
  author text NOT NULL,
  body text NOT NULL,
  external_id text NOT NULL,
  language text NOT NULL,
  at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (channel, external_id)
);
`,
  },
  {
    version: 2,
    name: 'sync push: remembered mutations, per-version case field history, presence, skills and capacity, case moves, revoked tokens',
    sql: `
CREATE TABLE mutations (
  id uuid PRIMARY KEY,
  user_id uuid NOT NULL REFERENCES users(id),
  kind text NOT NULL,
  entity_id text NOT NULL,
  result jsonb NOT NULL,
  received_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE case_changes (
  case_id uuid NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
  version integer NOT NULL,
  fields jsonb NOT NULL,
  user_id uuid REFERENCES users(id),
  changed_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (case_id, version)
);

ALTER TABLE users ADD COLUMN presence text NOT NULL DEFAULT 'offline';
ALTER TABLE users ADD COLUMN skills jsonb NOT NULL DEFAULT '[]';
ALTER TABLE users ADD COLUMN capacity integer NOT NULL DEFAULT 10;

-- Where a case was before each reassignment: a pull turns these into tombstones
-- for consoles that could see the case before and cannot any more.
CREATE TABLE case_moves (
  case_id uuid NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
  rev bigint NOT NULL,
  from_queue uuid NOT NULL,
  from_assignee uuid,
  PRIMARY KEY (case_id, rev)
);
CREATE INDEX case_moves_rev ON case_moves (rev);

-- Tokens signed out or replaced by a refresh before they expire.
CREATE TABLE revoked_tokens (
  jti uuid PRIMARY KEY,
  expires_at timestamptz NOT NULL
);
`,
  },
  {
    version: 3,
    name: 'field work on cases',
    sql: `
-- What a field technician records on site: the resolution and the parts used.
ALTER TABLE cases ADD COLUMN resolution text;
ALTER TABLE cases ADD COLUMN parts jsonb NOT NULL DEFAULT '[]';
`,
  },
  {
    version: 4,
    name: 'knowledge base',
    sql: `
-- Knowledge articles: written internally or promoted from community answers.
CREATE TABLE articles (
  id uuid PRIMARY KEY,
  title text NOT NULL,
  body text NOT NULL,
  tags jsonb NOT NULL DEFAULT '[]',
  device_models jsonb NOT NULL DEFAULT '[]',
  source text NOT NULL,
  language text NOT NULL DEFAULT 'en',
  version integer NOT NULL DEFAULT 1,
  rev bigint NOT NULL DEFAULT nextval('rev_seq'),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX articles_rev ON articles (rev);
`,
  },
  {
    version: 5,
    name: 'session epochs',
    sql: `
-- Raised to end every session a user has (a new password, a lost laptop): tokens carry the
-- epoch they were signed in, and one from an earlier epoch is refused.
ALTER TABLE users ADD COLUMN session_epoch integer NOT NULL DEFAULT 0;
`,
  },
  {
    version: 6,
    name: 'login failures',
    sql: `
-- Failed sign-ins per account name and address, for the login backoff: in the database so
-- that every hub of a deployment counts the same failures. Unknown names are counted too,
-- or the backoff would tell which names exist.
CREATE TABLE login_failures (
  username text NOT NULL,
  ip text NOT NULL,
  failures integer NOT NULL,
  last_failed_at timestamptz NOT NULL,
  PRIMARY KEY (username, ip)
);
CREATE INDEX login_failures_last_failed_at ON login_failures (last_failed_at);
`,
  },
  {
    version: 7,
    name: 'inbound channels: customer identities, channel owners, message threads, the mentions inbox',
    sql: `
-- Who a handle or address belongs to, per channel (normalised: see channels/identity.ts), so
-- every inbound message finds its customer or creates one.
CREATE TABLE customer_identities (
  channel text NOT NULL,
  value text NOT NULL,
  customer_id uuid NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (channel, value)
);
CREATE INDEX customer_identities_customer ON customer_identities (customer_id);
-- The customers already known by a social handle (lower case, without the @) or an email address.
INSERT INTO customer_identities (channel, value, customer_id)
  SELECT h.key, lower(regexp_replace(h.value, '^@', '')), c.id FROM customers c, jsonb_each_text(c.handles) h
  ON CONFLICT DO NOTHING;
INSERT INTO customer_identities (channel, value, customer_id)
  SELECT 'email', lower(trim(email)), id FROM customers WHERE email IS NOT NULL
  ON CONFLICT DO NOTHING;

-- Which queue opens the cases of each channel: data, set by an admin (or the demo).
CREATE TABLE channel_queues (
  channel text PRIMARY KEY,
  queue_id uuid NOT NULL REFERENCES queues(id)
);

-- The provider's conversation an inbound message belongs to (an X DM conversation…), so the next one joins its case.
CREATE TABLE message_threads (
  message_id uuid PRIMARY KEY REFERENCES messages(id) ON DELETE CASCADE,
  channel text NOT NULL,
  thread_ref text NOT NULL
);
CREATE INDEX message_threads_ref ON message_threads (channel, thread_ref);

-- The mentions inbox: triage state, who wrote it, and where the post is.
ALTER TABLE mentions ADD COLUMN status text NOT NULL DEFAULT 'new' CHECK (status IN ('new','converted','dismissed'));
ALTER TABLE mentions ADD COLUMN customer_id uuid REFERENCES customers(id);
ALTER TABLE mentions ADD COLUMN url text;
ALTER TABLE mentions ADD COLUMN in_reply_to text;
CREATE INDEX mentions_status_at ON mentions (status, at);
`,
  },
  {
    version: 8,
    name: 'message attachments',
    sql: `
-- The files that came with an inbound message (email attachments), in the database so that both
-- backends keep them in the same transaction as the message (nothing half stored) and every hub
-- of a deployment serves them.
CREATE TABLE attachments (
  id uuid PRIMARY KEY,
  message_id uuid NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
  file_name text NOT NULL,
  content_type text NOT NULL,
  size integer NOT NULL,
  content bytea NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX attachments_message ON attachments (message_id);
-- Their metadata travel with the message (sync, live), without the bytes.
ALTER TABLE messages ADD COLUMN attachments jsonb NOT NULL DEFAULT '[]';
`,
  },
  {
    version: 9,
    name: 'phone calls: user extensions, phone numbers, calls',
    sql: `
-- The number that rings an agent directly (E.164, as channels/identity.ts normalises it).
ALTER TABLE users ADD COLUMN extension text;
CREATE UNIQUE INDEX users_extension ON users (extension) WHERE extension IS NOT NULL;

-- Which queue answers each of the brand's phone numbers: data, set by an admin (or the demo).
CREATE TABLE phone_numbers (
  number text PRIMARY KEY,
  queue_id uuid NOT NULL REFERENCES queues(id)
);

-- Every call the phone provider reported, so a repeated status callback changes nothing.
CREATE TABLE calls (
  call_sid text PRIMARY KEY,
  from_number text NOT NULL,
  to_number text NOT NULL,
  status text NOT NULL,
  started_at timestamptz NOT NULL DEFAULT now(),
  ended_at timestamptz,
  duration integer,
  case_id uuid REFERENCES cases(id)
);

-- The customers already known by a phone number, normalised as channels/identity.ts does.
INSERT INTO customer_identities (channel, value, customer_id)
  SELECT 'phone', CASE WHEN btrim(phone) LIKE '+%' THEN '+' ELSE '' END || regexp_replace(phone, '\\D', '', 'g'), id
  FROM customers WHERE phone IS NOT NULL AND regexp_replace(phone, '\\D', '', 'g') <> ''
  ON CONFLICT DO NOTHING;
`,
  },
  {
    version: 10,
    name: 'stream cursors of the listening channels',
    sql: `
-- Where each streamed channel stopped (Mastodon: the last notification id; Jetstream: its time_us
-- cursor), moved in the same transaction as the messages it covers, so a restart resumes from there:
-- nothing missed, nothing twice.
CREATE TABLE channel_cursors (
  channel text PRIMARY KEY,
  cursor text NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);
`,
  },
  {
    version: 11,
    name: 'reply delivery, consent and synced mentions',
    sql: `
-- An outbound reply's delivery state travels with its message (sync, live).
ALTER TABLE messages ADD COLUMN delivery jsonb;
-- An inbound post was addressed to the brand (false for a keyword match): the consent rule reads it.
ALTER TABLE messages ADD COLUMN addressed boolean NOT NULL DEFAULT true;
-- What a reply to an inbound message needs from its provider besides its id (a Bluesky post's cid and
-- thread root, a DM's sender, an email's References…): the adapter's, read by the same channel's sender.
ALTER TABLE messages ADD COLUMN reply_context jsonb;
ALTER TABLE customers ADD COLUMN do_not_engage boolean NOT NULL DEFAULT false;

-- The delivery queue (a transactional outbox): a reply and its job are written in one transaction;
-- workers claim due jobs with SKIP LOCKED and a lease, so several hubs never send one twice at once,
-- and a hub that died mid-call leaves a lease that runs out.
CREATE TABLE deliveries (
  message_id uuid PRIMARY KEY REFERENCES messages(id) ON DELETE CASCADE,
  -- A case's replies go out one at a time, in order.
  case_id uuid NOT NULL REFERENCES cases(id),
  channel text NOT NULL,
  -- queued: due at next_attempt_at; sending: an attempt is out (leased until lease_until); sent; failed.
  state text NOT NULL DEFAULT 'queued',
  attempts integer NOT NULL DEFAULT 0,
  next_attempt_at timestamptz NOT NULL DEFAULT now(),
  lease_until timestamptz,
  leased_by text,
  -- What the sender needs, resolved when the reply was queued: recipient, the ids it answers, subject…
  target jsonb NOT NULL,
  -- Sent with every attempt where the provider takes one (Mastodon's Idempotency-Key, Bluesky's rkey, the Message-ID).
  idempotency_key text NOT NULL,
  external_id text,
  reason text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX deliveries_due ON deliveries (next_attempt_at) WHERE state IN ('queued', 'sending');
CREATE INDEX deliveries_case ON deliveries (case_id) WHERE state = 'sending';

-- Mentions become synced rows: a rev for the pull, and where they went.
ALTER TABLE mentions ADD COLUMN version integer NOT NULL DEFAULT 1;
ALTER TABLE mentions ADD COLUMN rev bigint NOT NULL DEFAULT nextval('rev_seq');
ALTER TABLE mentions ADD COLUMN created_at timestamptz NOT NULL DEFAULT now();
ALTER TABLE mentions ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now();
ALTER TABLE mentions ADD COLUMN queue_id uuid REFERENCES queues(id);
ALTER TABLE mentions ADD COLUMN case_id uuid REFERENCES cases(id);
ALTER TABLE mentions ADD COLUMN addressed boolean NOT NULL DEFAULT true;
ALTER TABLE mentions ADD COLUMN sentiment double precision;
ALTER TABLE mentions ADD COLUMN reply_context jsonb;
CREATE INDEX mentions_rev ON mentions (rev);
`,
  },
  {
    version: 12,
    name: 'audit log',
    sql: `
-- Who changed what, when, from what to what, and why: reassignments, memberships, consent overrides and
-- consent changes, sign-outs, admin changes. Append-only: no route changes or deletes an entry, and the
-- database refuses to (a trigger), so not even a bug can rewrite history.
CREATE TABLE audit_log (
  id uuid PRIMARY KEY,
  at timestamptz NOT NULL DEFAULT now(),
  actor_id uuid,
  action text NOT NULL,
  entity text NOT NULL,
  entity_id text NOT NULL,
  before jsonb,
  after jsonb,
  reason text
);
CREATE INDEX audit_log_at ON audit_log (at, id);
CREATE INDEX audit_log_actor ON audit_log (actor_id, at);
CREATE INDEX audit_log_action ON audit_log (action, at);
-- One line: the migration runner splits statements at a ';' that ends a line.
CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'audit_log is append-only'; END $$;
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();
`,
  },
  {
    version: 13,
    name: 'presence reason and time in state',
    sql: `
-- Why someone is away (or busy), and since when they are in their state: supervisors read both.
ALTER TABLE users ADD COLUMN presence_reason text;
ALTER TABLE users ADD COLUMN presence_since timestamptz NOT NULL DEFAULT now();
`,
  },
  {
    version: 14,
    name: 'surge alerts',
    sql: `
-- Arrivals on a channel or naming a keyword far above their usual rate (live/surge.ts). Every hub of a
-- deployment looks; the one whose insert lands tells the supervisors, so each surge is told once.
CREATE TABLE surge_alerts (
  id uuid PRIMARY KEY,
  key_kind text NOT NULL CHECK (key_kind IN ('channel','keyword')),
  key text NOT NULL,
  window_start timestamptz NOT NULL,
  window_minutes integer NOT NULL,
  -- The cooldown period the alert was raised in: at most one alert per key and period, whatever the hubs do.
  bucket bigint NOT NULL,
  count integer NOT NULL,
  usual double precision NOT NULL,
  sample jsonb NOT NULL,
  case_ids jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (key_kind, key, bucket)
);
CREATE INDEX surge_alerts_key_created ON surge_alerts (key_kind, key, created_at);
CREATE INDEX surge_alerts_created ON surge_alerts (created_at);
-- Arrivals by time, which the detector counts every few seconds.
CREATE INDEX messages_inbound_created ON messages (created_at) WHERE direction = 'in';
CREATE INDEX mentions_created ON mentions (created_at);
`,
  },
  {
    version: 15,
    name: 'recent case changes',
    sql: `
-- The boards read the last day's changes (who solved what, and when) every few seconds.
CREATE INDEX case_changes_changed_at ON case_changes (changed_at);
`,
  },
  {
    version: 16,
    name: 'refresh tokens',
    sql: `
-- One family per sign-in (auth/refresh-tokens.ts): revoked as a whole on sign-out, on an ended session
-- epoch, or when a refresh token already rotated is presented again (a stolen copy).
CREATE TABLE refresh_families (
  id uuid PRIMARY KEY,
  user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  -- The user's session epoch at sign-in: a later epoch (sign out everywhere) ends the family.
  epoch integer NOT NULL,
  signed_in_at timestamptz NOT NULL,
  -- Derives each successor from the token it replaces, so a retried refresh gets the same answer.
  rotation_key text NOT NULL,
  -- The last access token issued in the family, revoked with it.
  access_jti uuid,
  access_expires_at timestamptz,
  revoked_at timestamptz,
  revoked_reason text
);
CREATE INDEX refresh_families_user ON refresh_families (user_id);
-- Only the SHA-256 of each refresh token is kept; used_at is set when it is rotated.
CREATE TABLE refresh_tokens (
  token_hash text PRIMARY KEY,
  family_id uuid NOT NULL REFERENCES refresh_families(id) ON DELETE CASCADE,
  created_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL,
  used_at timestamptz
);
CREATE INDEX refresh_tokens_family ON refresh_tokens (family_id);
CREATE INDEX refresh_tokens_expires ON refresh_tokens (expires_at);
`,
  },
  {
    version: 17,
    name: 'rules as data',
    sql: `
-- The brand's rules document (rules/README.md), as an admin or the rules file last saved it: every hub
-- evaluates the same version. device_rules and rule_state, the rules that were rows, are left unread.
CREATE TABLE rules_documents (
  brand text PRIMARY KEY,
  format text NOT NULL CHECK (format IN ('yaml', 'json')),
  source text NOT NULL,
  version integer NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now(),
  updated_by uuid REFERENCES users(id) ON DELETE SET NULL
);
-- The engine's state per device (streaks, last readings, excursions): one row, read and written with each payload.
CREATE TABLE device_rule_states (
  device_id text PRIMARY KEY REFERENCES devices(id) ON DELETE CASCADE,
  state jsonb NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);
-- "The open case for the same rule": what a rule with join set joins instead of opening another.
CREATE TABLE rule_open_cases (
  rule_id text NOT NULL,
  subject_key text NOT NULL,
  case_id uuid NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
  PRIMARY KEY (rule_id, subject_key)
);
-- Every firing: the rule, what it saw (readings or message), what it did, and why; shown on the case.
CREATE TABLE rule_firings (
  id uuid PRIMARY KEY,
  rule_id text NOT NULL,
  rule_name text NOT NULL,
  kind text NOT NULL,
  device_id text,
  message_id uuid,
  customer_id uuid,
  case_id uuid REFERENCES cases(id) ON DELETE CASCADE,
  outcome text NOT NULL,
  because text NOT NULL,
  readings jsonb NOT NULL DEFAULT '[]',
  actions jsonb NOT NULL DEFAULT '[]',
  at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX rule_firings_case ON rule_firings (case_id, at);
CREATE INDEX rule_firings_at ON rule_firings (at);
-- Alerts now name rules of the document (text ids), not rows.
ALTER TABLE alerts DROP CONSTRAINT IF EXISTS alerts_rule_id_fkey;
ALTER TABLE alerts ALTER COLUMN rule_id TYPE text USING rule_id::text;
`,
  },
  {
    version: 18,
    name: 'sla policies, queue calendars, support incidents, sla events',
    sql: `
-- SLA policies (src/shared/sla.ts SlaPolicySchema): one per plan, and 'default' for plans without one.
CREATE TABLE sla_policies (
  plan text PRIMARY KEY CHECK (plan IN ('default','basic','plus','premium','enterprise')),
  policy jsonb NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now(),
  updated_by uuid REFERENCES users(id) ON DELETE SET NULL
);
-- A queue's business hours: its cases' clocks run on them instead of the policy's calendar.
CREATE TABLE sla_queue_calendars (
  queue_id uuid PRIMARY KEY REFERENCES queues(id) ON DELETE CASCADE,
  calendar jsonb NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);
-- Per-incident support used: one row per case that took an incident (no FK to cases: a deleted case stays used).
CREATE TABLE support_incidents (
  case_id uuid PRIMARY KEY,
  customer_id uuid NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
  at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX support_incidents_customer ON support_incidents (customer_id, at);
-- A customer the hub made from an unknown author has a placeholder plan: not routed by it (sla/entitlement.ts).
ALTER TABLE customers ADD COLUMN plan_on_record boolean NOT NULL DEFAULT true;
-- The resolution target's due time (hub-side; the console shows the first-response one, sla_due_at).
ALTER TABLE cases ADD COLUMN resolution_due_at timestamptz;
-- Warnings and breaches, once per case, target and due time (several hubs tick: the insert that lands tells).
CREATE TABLE sla_events (
  id uuid PRIMARY KEY,
  case_id uuid NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
  target text NOT NULL CHECK (target IN ('first_response','resolution')),
  kind text NOT NULL CHECK (kind IN ('warning','breach')),
  due_at timestamptz NOT NULL,
  assignee_id uuid,
  at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (case_id, target, kind, due_at)
);
CREATE INDEX sla_events_at ON sla_events (at);
`,
  },
  {
    version: 19,
    name: 'routing: offers and pull',
    sql: `
-- How a queue hands out its work (routing/README.md): 'manual' (agents pick, supervisors assign), 'push'
-- (offered to the available agent who has waited longest) or 'pull' ("Next case").
ALTER TABLE queues ADD COLUMN routing text NOT NULL DEFAULT 'manual' CHECK (routing IN ('manual', 'push', 'pull'));
ALTER TABLE queues ADD COLUMN required_skills jsonb NOT NULL DEFAULT '[]';
ALTER TABLE queues ADD COLUMN offer_seconds integer NOT NULL DEFAULT 30 CHECK (offer_seconds BETWEEN 5 AND 600);
-- When the agent last got work: whoever has waited longest is offered first.
ALTER TABLE users ADD COLUMN last_routed_at timestamptz;
-- The offer of a case: one at a time per case (its key) and per agent, also with several hubs.
CREATE TABLE case_offers (
  case_id uuid PRIMARY KEY REFERENCES cases(id) ON DELETE CASCADE,
  user_id uuid NOT NULL UNIQUE REFERENCES users(id) ON DELETE CASCADE,
  offered_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL
);
CREATE INDEX case_offers_expires ON case_offers (expires_at);
-- Who declined a case or let its offer lapse: not offered it again.
CREATE TABLE case_offer_refusals (
  case_id uuid NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
  user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  reason text NOT NULL CHECK (reason IN ('declined', 'timeout')),
  at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (case_id, user_id)
);
`,
  },
  {
    version: 20,
    name: 'routing: waiting cases by due time',
    sql: `
-- A routing round reads each queue's unassigned cases most due first (routing/router.ts): straight off this
-- index, not by sorting the queue's whole backlog.
CREATE INDEX cases_waiting ON cases (queue_id, sla_due_at, created_at) WHERE assignee_id IS NULL;
`,
  },
  {
    version: 21,
    name: 'calls: who answered, and who is on a call now',
    sql: `
-- The agent who answered a call (the console's Answer, or the provider's in-progress callback naming their
-- extension): routing counts a live call as taking all of that agent's capacity until it is released (the
-- completed callback). Kept after release: who took the call is its history.
ALTER TABLE calls ADD COLUMN answered_by uuid REFERENCES users(id) ON DELETE SET NULL;
ALTER TABLE calls ADD COLUMN answered_at timestamptz;
ALTER TABLE calls ADD COLUMN released_at timestamptz;
CREATE INDEX calls_live ON calls (answered_by) WHERE answered_by IS NOT NULL AND released_at IS NULL;
`,
  },
];
