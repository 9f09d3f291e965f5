/**
 * The workspace schema as an append-only ledger of migrations.
 *
 * Never edit a migration that has shipped: add a new one at the end. `user_version` always equals the version of the
 * last migration applied, and the `migrations` table records when each was applied, so a file can be audited with the
 * plain sqlite3 tool.
 */

/** `PRAGMA application_id` for Assay workspaces: the ASCII bytes "ASY1". */
export const ASSAY_APPLICATION_ID = 0x41535931;

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

const V1 = /* sql */ `
CREATE TABLE meta (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE migrations (
  version    INTEGER PRIMARY KEY,
  name       TEXT NOT NULL,
  applied_at TEXT NOT NULL
);

-- Reference and registration -------------------------------------------------------------------------------------
CREATE TABLE regions (
  id   TEXT PRIMARY KEY,            -- ONS code, e.g. E12000007
  name TEXT NOT NULL UNIQUE
);

CREATE TABLE local_authorities (
  id        TEXT PRIMARY KEY,       -- ONS code where known, else a stable slug
  name      TEXT NOT NULL UNIQUE,
  region_id TEXT NOT NULL REFERENCES regions(id)
);
CREATE INDEX local_authorities_region ON local_authorities(region_id);

CREATE TABLE providers (
  id         TEXT PRIMARY KEY,      -- the regulator's provider id
  name       TEXT NOT NULL,
  brand_id   TEXT,
  brand_name TEXT,
  import_id  TEXT REFERENCES imports(id),
  updated_at TEXT NOT NULL
);

CREATE TABLE sectors (
  id       TEXT PRIMARY KEY,        -- e.g. 'asc'
  name     TEXT NOT NULL UNIQUE,    -- e.g. 'Adult social care'
  position INTEGER NOT NULL
);

CREATE TABLE locations (
  id               TEXT PRIMARY KEY,  -- the regulator's location id
  name             TEXT NOT NULL,
  provider_id      TEXT REFERENCES providers(id),
  sector_id        TEXT NOT NULL REFERENCES sectors(id),
  location_type    TEXT NOT NULL,     -- the source's own type, e.g. 'Social Care Org'
  category         TEXT,              -- primary inspection category
  care_home        INTEGER NOT NULL DEFAULT 0 CHECK (care_home IN (0, 1)),
  local_authority_id TEXT REFERENCES local_authorities(id),
  region_id        TEXT REFERENCES regions(id),
  street           TEXT,
  city             TEXT,
  postcode         TEXT,
  latitude         REAL,
  longitude        REAL,
  registered_on    TEXT,
  deregistered_on  TEXT,
  beds             INTEGER,
  import_id        TEXT REFERENCES imports(id),
  updated_at       TEXT NOT NULL
);
CREATE INDEX locations_sector ON locations(sector_id);
CREATE INDEX locations_la ON locations(local_authority_id);
CREATE INDEX locations_region ON locations(region_id);
CREATE INDEX locations_provider ON locations(provider_id);

-- Rating scales and key questions are data ------------------------------------------------------------------------
CREATE TABLE rating_scales (
  id        TEXT PRIMARY KEY,
  name      TEXT NOT NULL,
  regulator TEXT NOT NULL,
  is_default INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE rating_values (
  scale_id TEXT NOT NULL REFERENCES rating_scales(id),
  label    TEXT NOT NULL,           -- exactly as the regulator publishes it
  rank     INTEGER,                 -- 1 is best; NULL for statuses outside the scale
  on_scale INTEGER NOT NULL CHECK (on_scale IN (0, 1)),
  colour   TEXT,
  PRIMARY KEY (scale_id, label)
) WITHOUT ROWID;

CREATE TABLE key_questions (
  id       TEXT PRIMARY KEY,        -- e.g. 'safe', 'overall'
  scale_id TEXT NOT NULL REFERENCES rating_scales(id),
  name     TEXT NOT NULL,           -- e.g. 'Safe'
  position INTEGER NOT NULL,
  is_overall INTEGER NOT NULL DEFAULT 0,
  UNIQUE (scale_id, name)
);

-- Inspections and ratings with history -----------------------------------------------------------------------------
CREATE TABLE inspections (
  id            TEXT PRIMARY KEY,
  location_id   TEXT NOT NULL REFERENCES locations(id),
  started_on    TEXT,
  ended_on      TEXT,
  published_on  TEXT,
  kind          TEXT NOT NULL DEFAULT 'comprehensive',
  status        TEXT NOT NULL DEFAULT 'planned' CHECK (status IN ('planned','in progress','completed','published')),
  lead_inspector TEXT,
  notes         TEXT,
  created_at    TEXT NOT NULL,
  updated_at    TEXT NOT NULL
);
CREATE INDEX inspections_location ON inspections(location_id);

CREATE TABLE ratings (
  id              INTEGER PRIMARY KEY,
  location_id     TEXT NOT NULL REFERENCES locations(id),
  service_group   TEXT NOT NULL DEFAULT 'Overall',
  key_question_id TEXT NOT NULL REFERENCES key_questions(id),
  rating          TEXT NOT NULL,    -- a rating_values.label of the key question's scale, on or off the scale
  published_on    TEXT NOT NULL,    -- ISO date
  report_type     TEXT,
  inherited       INTEGER NOT NULL DEFAULT 0,
  inspection_id   TEXT REFERENCES inspections(id),
  import_id       TEXT REFERENCES imports(id),
  updated_at      TEXT NOT NULL,
  UNIQUE (location_id, service_group, key_question_id, published_on)
);
CREATE INDEX ratings_kq_date ON ratings(key_question_id, published_on);

-- Area reviews ------------------------------------------------------------------------------------------------------
CREATE TABLE themes (
  id          TEXT PRIMARY KEY,
  name        TEXT NOT NULL UNIQUE,
  description TEXT,
  position    INTEGER NOT NULL
);

CREATE TABLE area_reviews (
  id                 TEXT PRIMARY KEY,
  local_authority_id TEXT NOT NULL REFERENCES local_authorities(id),
  title              TEXT NOT NULL,
  started_on         TEXT,
  published_on       TEXT,
  status             TEXT NOT NULL DEFAULT 'in progress' CHECK (status IN ('planned','in progress','published')),
  summary            TEXT,
  created_at         TEXT NOT NULL,
  updated_at         TEXT NOT NULL
);

CREATE TABLE area_review_themes (
  area_review_id TEXT NOT NULL REFERENCES area_reviews(id) ON DELETE CASCADE,
  theme_id       TEXT NOT NULL REFERENCES themes(id),
  summary        TEXT,
  PRIMARY KEY (area_review_id, theme_id)
) WITHOUT ROWID;

-- Indicators --------------------------------------------------------------------------------------------------------
CREATE TABLE indicators (
  id          TEXT PRIMARY KEY,
  name        TEXT NOT NULL UNIQUE,
  unit        TEXT NOT NULL,            -- e.g. 'per 100,000 aged 65+', '%', 'count'
  polarity    TEXT NOT NULL CHECK (polarity IN ('higher is better','lower is better','neutral')),
  source      TEXT NOT NULL,
  source_url  TEXT,
  description TEXT
);

CREATE TABLE indicator_values (
  indicator_id TEXT NOT NULL REFERENCES indicators(id),
  area_code    TEXT NOT NULL,           -- a local authority id, a region id, or 'E92000001' for England
  period       TEXT NOT NULL,           -- e.g. '2017/18'
  value        REAL NOT NULL,
  numerator    REAL,
  denominator  REAL,
  import_id    TEXT REFERENCES imports(id),
  updated_at   TEXT NOT NULL,
  PRIMARY KEY (indicator_id, area_code, period)
) WITHOUT ROWID;

-- Evidence and findings ---------------------------------------------------------------------------------------------
CREATE TABLE attachments (
  hash       TEXT PRIMARY KEY,          -- sha256 of the content, hex
  size       INTEGER NOT NULL,
  media_type TEXT NOT NULL,
  data       BLOB NOT NULL,
  created_at TEXT NOT NULL
);

CREATE TABLE evidence (
  id              TEXT PRIMARY KEY,
  kind            TEXT NOT NULL CHECK (kind IN ('document','interview','observation','dataset','survey','case file','meeting notes')),
  title           TEXT NOT NULL,
  reference       TEXT,
  summary         TEXT,
  collected_on    TEXT,
  collected_by    TEXT,
  sensitivity     TEXT NOT NULL CHECK (sensitivity IN ('public','official','official-sensitive','personal')),
  attachment_hash TEXT REFERENCES attachments(hash),
  attachment_name TEXT,
  verified_by     TEXT,
  verified_at     TEXT,
  area_review_id  TEXT REFERENCES area_reviews(id),
  location_id     TEXT REFERENCES locations(id),
  import_id       TEXT REFERENCES imports(id),
  created_at      TEXT NOT NULL,
  updated_at      TEXT NOT NULL
);
CREATE INDEX evidence_review ON evidence(area_review_id);

CREATE TABLE findings (
  id             TEXT PRIMARY KEY,
  subject_type   TEXT NOT NULL CHECK (subject_type IN ('location','provider','area review','national')),
  subject_id     TEXT,                  -- NULL for national findings
  theme_id       TEXT REFERENCES themes(id),
  judgement      TEXT NOT NULL CHECK (judgement IN ('strength','concern','recommendation')),
  status         TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft','agreed','published','withdrawn')),
  text           TEXT NOT NULL,
  author         TEXT,
  inspection_id  TEXT REFERENCES inspections(id),
  created_at     TEXT NOT NULL,
  updated_at     TEXT NOT NULL
);
CREATE INDEX findings_subject ON findings(subject_type, subject_id);
CREATE INDEX findings_theme ON findings(theme_id);

CREATE TABLE finding_evidence (
  finding_id  TEXT NOT NULL REFERENCES findings(id) ON DELETE CASCADE,
  evidence_id TEXT NOT NULL REFERENCES evidence(id),
  PRIMARY KEY (finding_id, evidence_id)
) WITHOUT ROWID;

-- Reports and figures -----------------------------------------------------------------------------------------------
CREATE TABLE reports (
  id          TEXT PRIMARY KEY,
  slug        TEXT NOT NULL UNIQUE,
  title       TEXT NOT NULL,
  subtitle    TEXT,
  template_id TEXT,
  params      TEXT NOT NULL DEFAULT '{}',   -- JSON object, e.g. {"asAt":"2018-07-31","previousAsAt":"2017-07-31"}
  author      TEXT,
  created_at  TEXT NOT NULL,
  updated_at  TEXT NOT NULL
);

CREATE TABLE sections (
  id          TEXT PRIMARY KEY,
  report_id   TEXT NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
  position    INTEGER NOT NULL,
  title       TEXT NOT NULL,
  owner       TEXT,
  status      TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft','in review','approved')),
  status_by   TEXT,
  status_at   TEXT,
  content     TEXT NOT NULL,                 -- Lexical editor state JSON
  updated_at  TEXT NOT NULL
);
CREATE INDEX sections_report ON sections(report_id, position);

CREATE TABLE figures (
  id          TEXT PRIMARY KEY,
  slug        TEXT NOT NULL UNIQUE,
  name        TEXT NOT NULL,
  description TEXT,
  kind        TEXT NOT NULL CHECK (kind IN ('value','table','chart')),
  spec        TEXT,                          -- structured spec JSON, or NULL for SQL figures
  sql         TEXT,                          -- read-only SQL, or NULL for structured figures
  format      TEXT NOT NULL DEFAULT '{}',    -- JSON formatting options
  chart       TEXT,                          -- JSON chart options for kind = 'chart'
  created_at  TEXT NOT NULL,
  updated_at  TEXT NOT NULL,
  CHECK ((spec IS NULL) <> (sql IS NULL))
);

CREATE TABLE figure_evidence (
  figure_id   TEXT NOT NULL REFERENCES figures(id) ON DELETE CASCADE,
  evidence_id TEXT NOT NULL REFERENCES evidence(id),
  PRIMARY KEY (figure_id, evidence_id)
) WITHOUT ROWID;

CREATE TABLE figure_approvals (
  id          INTEGER PRIMARY KEY,
  figure_id   TEXT NOT NULL REFERENCES figures(id) ON DELETE CASCADE,
  section_id  TEXT REFERENCES sections(id) ON DELETE CASCADE,
  params      TEXT NOT NULL,                 -- JSON of the parameters the value was computed with
  value       TEXT NOT NULL,                 -- JSON of the value signed off
  formatted   TEXT NOT NULL,
  fingerprint TEXT NOT NULL,
  approved_by TEXT NOT NULL,
  approved_at TEXT NOT NULL
);
CREATE INDEX figure_approvals_figure ON figure_approvals(figure_id, section_id);

-- Review, audit, imports, merging -----------------------------------------------------------------------------------
CREATE TABLE comments (
  id          TEXT PRIMARY KEY,
  section_id  TEXT NOT NULL REFERENCES sections(id) ON DELETE CASCADE,
  parent_id   TEXT REFERENCES comments(id) ON DELETE CASCADE,
  anchor      TEXT,                          -- JSON: the text range commented on
  quote       TEXT,
  author      TEXT NOT NULL,
  body        TEXT NOT NULL,
  created_at  TEXT NOT NULL,
  resolved_by TEXT,
  resolved_at TEXT
);
CREATE INDEX comments_section ON comments(section_id);

CREATE TABLE audit_log (
  id         INTEGER PRIMARY KEY,
  at         TEXT NOT NULL,
  actor      TEXT NOT NULL,
  action     TEXT NOT NULL,                  -- e.g. 'rating.update'
  table_name TEXT,
  record_id  TEXT,
  before     TEXT,                           -- JSON
  after      TEXT                            -- JSON
);
CREATE INDEX audit_log_record ON audit_log(table_name, record_id);

CREATE TABLE imports (
  id          TEXT PRIMARY KEY,
  kind        TEXT NOT NULL,                 -- e.g. 'cqc-ratings', 'indicators', 'evidence', 'merge', 'demo'
  file_name   TEXT NOT NULL,
  file_hash   TEXT NOT NULL,
  edition     TEXT,
  rows        INTEGER NOT NULL,
  imported_by TEXT NOT NULL,
  imported_at TEXT NOT NULL,
  notes       TEXT
);

-- The last content hash of each record seen from another workspace, so a later merge can tell who changed what.
CREATE TABLE merge_bases (
  peer_workspace_id TEXT NOT NULL,
  table_name        TEXT NOT NULL,
  record_id         TEXT NOT NULL,
  hash              TEXT NOT NULL,
  PRIMARY KEY (peer_workspace_id, table_name, record_id)
) WITHOUT ROWID;

CREATE TABLE merge_conflicts (
  id                TEXT PRIMARY KEY,
  peer_workspace_id TEXT NOT NULL,
  table_name        TEXT NOT NULL,
  record_id         TEXT NOT NULL,
  ours              TEXT NOT NULL,           -- JSON
  theirs            TEXT NOT NULL,           -- JSON
  detected_at       TEXT NOT NULL,
  resolved_by       TEXT,
  resolved_at       TEXT,
  resolution        TEXT
);
`;

/** The ledger. Append only. */
/**
 * v2: derived data kept in the file. The live figure engine's rating index (every rating row reduced to integer
 * codes) is stored in `derived_cache` so that opening a large workspace does not re-read millions of rows. It is valid
 * only while `meta.ratings_generation` is unchanged; triggers bump the generation on any change to ratings or
 * locations, whoever makes it (Assay, a journal replay, a merge, or the sqlite3 shell), so a cache can never be used
 * for data it was not built from. Derived data is not domain data: dumps, merges and the audit log ignore it.
 */
const V2 = /* sql */ `
CREATE TABLE derived_cache (
  name       TEXT PRIMARY KEY,   -- what is cached, e.g. 'rating-index'
  generation TEXT NOT NULL,      -- meta.ratings_generation when it was built
  format     INTEGER NOT NULL,   -- the layout of data; a reader that does not know it rebuilds
  data       BLOB NOT NULL
);
INSERT OR REPLACE INTO meta(key, value) VALUES ('ratings_generation', '1');
${['ratings', 'locations']
  .flatMap((t) =>
    ['INSERT', 'UPDATE', 'DELETE'].map(
      (op) =>
        `CREATE TRIGGER ${t}_generation_${op.toLowerCase()} AFTER ${op} ON ${t} BEGIN
  UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'ratings_generation';
END;`,
    ),
  )
  .join('\n')}
`;

export const MIGRATIONS: readonly Migration[] = [
  { version: 1, name: 'initial schema', sql: V1 },
  { version: 2, name: 'derived cache for the figure index, with a generation bumped by triggers', sql: V2 },
];

export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;

export { TABLES, type TableName } from './tables';
