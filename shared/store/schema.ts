/**
 * The workspace schema as an append-only ledger of migrations.
 *
 * Never edit a migration that has shipped: add a new one at the end. `user_version` always equals the version of the
 * last migration applied, and the `migrations` table records when each was applied, so a file can be audited with the
 * plain sqlite3 tool.
 */

import { EVIDENCE_CATEGORIES, FRAMEWORK_VERSIONS, LA_ASSESSMENT, SAF } from './framework-seed';

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

/**
 * v3: approval covers a section's whole content. `approval_snapshot` holds what the last approval of a section signed
 * off (its title, text, citations and every figure as printed, with fingerprints; JSON, see shared/review/snapshot.ts),
 * so any later change to any of them shows as "changed since approval". `updated_by` is who last changed the section's
 * title or text, so that a person cannot approve their own change unless the workspace allows it (meta
 * 'self_approval'). Sections from earlier versions have neither: their last editor is unknown, and an approved one
 * says it was approved before approvals recorded the text.
 */
const V3_SECTION_APPROVALS = /* sql */ `
ALTER TABLE sections ADD COLUMN updated_by TEXT;          -- who last changed the title or text
ALTER TABLE sections ADD COLUMN approval_snapshot TEXT;   -- JSON: what the last approval signed off
`;

/**
 * v4: publications speak plain English. `publication_labels` holds the words a publication prints for a value the
 * data spells its own way (CQC's inspection category "Acute hospital - NHS non-specialist" is printed "NHS acute
 * hospitals"), seeded by the reference data and the importers and editable as data; and each import says in words
 * what data it brought (`imports.source`, e.g. "CQC ratings data"), for the source lines under tables and charts.
 */
/** A string as an SQL literal, for the reference rows migrations seed. */
const sqlText = (s: string) => `'${s.replace(/'/g, "''")}'`;

/** The publication labels CQC's publications used at version 4, seeded by it (frozen: later ones come with imports). */
export const V4_PUBLICATION_LABELS: readonly (readonly ['category' | 'serviceGroup', string, string])[] = [
  ['category', 'Residential social care', 'Residential adult social care'],
  ['category', 'Community based adult social care services', 'Community adult social care'],
  ['category', 'GP Practices', 'GP practices'],
  ['category', 'Acute hospital - NHS non-specialist', 'NHS acute hospitals'],
  ['category', 'Acute hospital - NHS specialist', 'NHS specialist acute hospitals'],
  ['category', 'Acute hospital - Independent non-specialist', 'Independent acute hospitals'],
  ['category', 'Acute hospital - Independent specialist', 'Independent specialist acute hospitals'],
  ['category', 'Mental health - community & residential - NHS', 'NHS mental health services'],
  ['category', 'Mental health - community & hospital - independent', 'Independent mental health services'],
  ['category', 'Community health - NHS & Independent', 'Community health services'],
  ['category', 'Ambulance service', 'Ambulance services'],
  ['category', 'Hospice services', 'Hospices'],
  ['category', 'Dentists', 'Dental practices'],
  ['category', 'Out of hours', 'GP out-of-hours services'],
  ['category', 'Urgent care services & mobile doctors', 'Urgent care services and mobile doctors'],
  ['category', 'Community substance misuse', 'Community substance misuse services'],
  ['category', 'Residential substance misuse', 'Residential substance misuse services'],
  ['category', 'Independent consulting doctors', 'Independent consulting doctors'],
  ['category', 'Prison Healthcare', 'Health care in prisons'],
  ['serviceGroup', 'Overall', 'Whole location'],
  ['serviceGroup', "Medical care (including older people's care)", 'Medical care, including older people’s care'],
  ['serviceGroup', 'Services for children & young people', 'Services for children and young people'],
];

const V4_LABELS_SQL = /* sql */ `
CREATE TABLE publication_labels (
  kind  TEXT NOT NULL,             -- what the value is: 'category', 'serviceGroup', 'locationType', ...
  value TEXT NOT NULL,             -- the value as the data holds it
  label TEXT NOT NULL,             -- the words a publication prints
  PRIMARY KEY (kind, value)
) WITHOUT ROWID;
ALTER TABLE imports ADD COLUMN source TEXT;
INSERT INTO publication_labels(kind, value, label) VALUES
${V4_PUBLICATION_LABELS.map(([kind, value, label]) => `  (${sqlText(kind)}, ${sqlText(value)}, ${sqlText(label)})`).join(',\n')};
`;

/**
 * Version 5: report settings, apart from the report's parameters (which figures read): how the report prints numbers,
 * e.g. {"changes":"unrounded"} (shared/store/reports.ts parseReportSettings; an empty object means the defaults).
 */
const V5_REPORT_SETTINGS = /* sql */ `
ALTER TABLE reports ADD COLUMN settings TEXT NOT NULL DEFAULT '{}';
`;

/**
 * Version 6: the register as data, what each import can answer, and one vocabulary of service and population groups.
 *
 * - `locations.registration_status` ('Registered', 'Deregistered', or NULL when no source has said) and
 *   `registration_as_of` (the extract date of the source that last said it), beside `registered_on` and
 *   `deregistered_on` (v1), which CQC's locations file gives and its long ratings layout does not.
 * - `location_details`: the history of the details figures count by (name, sector, location type, primary inspection
 *   category, care home flag, local authority, region, beds). Each entry holds the details one or more dated extracts
 *   showed unchanged: from `effective_from` (the earliest extract that showed them, the date they had taken effect by)
 *   to `observed_to` (the latest that did). A NULL field is one the sources did not give (the ratings layouts have no
 *   beds). The `locations` row stays the latest details, for everything that reads locations today.
 * - `imports.coverage`, `covers_from`, `covers_to`, `covers_basis`: the period an import's data can answer. A latest
 *   ratings edition ('latest') answers dates from its extract date on (covers_to NULL); a history ('history') answers
 *   its span. `covers_basis` says how the dates were decided ('edition', 'latest publication date', 'latest date in
 *   the file', 'span'). Earlier CQC imports get the latest publication date their notes recorded (or an edition
 *   written as a date); the demonstration data its ratings' span.
 * - `service_groups` and `service_group_spellings`: CQC's service and population groups, each under the name its
 *   national file uses, and the other spellings its layouts use (the API layout's codes: 'old' is "Older people").
 *   Seeded here as CQC spelt them at this version (the importers add later reference data); existing ratings under a
 *   code are renamed to their group, so the same group from two files is one series. A code-spelled rating whose
 *   named twin (same location, group, key question and date) is already held is dropped, and the audit log keeps it
 *   when the two disagree. The publication label of a group whose printed words differ is added where missing.
 * - Each location already held gets one details entry from its current row, dated by its import's extract date; the
 *   registration status of locations with a registration date (the demonstration data's) is set from their dates.
 */
const V6_SERVICE_GROUPS: readonly (readonly [name: string, kind: string, spellings: readonly string[]])[] = [
  ['Overall', 'location', []],
  ['Older people', 'population group', ['old']],
  ['People with long term conditions', 'population group', ['conditions']],
  ['Families, children and young people', 'population group', ['mothers']],
  ['Working age people (including those recently retired and students)', 'population group', ['population']],
  ['People whose circumstances may make them vulnerable', 'population group', ['vulnerable']],
  ['People experiencing poor mental health (including people with dementia)', 'population group', ['problems']],
  ['Urgent and emergency services', 'core service', ['urgent']],
  ["Medical care (including older people's care)", 'core service', ['care']],
  ['Surgery', 'core service', ['surgery']],
  ['Critical care', 'core service', ['critical']],
  ['Maternity', 'core service', ['maternity', 'npimaternity']],
  ['Services for children & young people', 'core service', ['childrens']],
  ['End of life care', 'core service', ['life']],
  ['Outpatients', 'core service', ['outpatients']],
  ['Diagnostic imaging', 'core service', ['diagnostic', 'diagnostics']],
  ['Dialysis services', 'core service', ['dialysis']],
  ['Patient transport services', 'core service', ['transport']],
  ['Community health services for adults', 'core service', ['chsadults']],
  ['Community health services for children, young people and families', 'core service', ['chschildren']],
  ['Community health sexual health services', 'core service', ['communitysexual']],
  ['Forensic inpatient or secure wards', 'core service', ['mhforensic']],
  ['Long stay or rehabilitation mental health wards for working age adults', 'core service', ['mhlongstay']],
];

const V6_ISO = "'[0-9][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]'";

const V6_REGISTER_COVERAGE_GROUPS = /* sql */ `
ALTER TABLE locations ADD COLUMN registration_status TEXT CHECK (registration_status IN ('Registered', 'Deregistered'));
ALTER TABLE locations ADD COLUMN registration_as_of TEXT;   -- the extract date of the source that last gave the status

CREATE TABLE location_details (
  location_id        TEXT NOT NULL REFERENCES locations(id),
  effective_from     TEXT NOT NULL,   -- the earliest extract date that showed these details
  observed_to        TEXT NOT NULL,   -- the latest extract date that showed them unchanged
  name               TEXT NOT NULL,
  sector_id          TEXT NOT NULL REFERENCES sectors(id),
  location_type      TEXT NOT NULL,
  category           TEXT,
  care_home          INTEGER NOT NULL CHECK (care_home IN (0, 1)),
  local_authority_id TEXT REFERENCES local_authorities(id),
  region_id          TEXT REFERENCES regions(id),
  beds               INTEGER,
  import_id          TEXT REFERENCES imports(id),   -- the import that last changed the entry
  PRIMARY KEY (location_id, effective_from),
  CHECK (observed_to >= effective_from)
) WITHOUT ROWID;

ALTER TABLE imports ADD COLUMN coverage TEXT CHECK (coverage IN ('latest', 'history'));
ALTER TABLE imports ADD COLUMN covers_from TEXT;
ALTER TABLE imports ADD COLUMN covers_to TEXT;
ALTER TABLE imports ADD COLUMN covers_basis TEXT;

CREATE TABLE service_groups (
  name     TEXT PRIMARY KEY,        -- as CQC's national file spells it, e.g. 'Older people'; what ratings.service_group holds
  kind     TEXT NOT NULL CHECK (kind IN ('location', 'population group', 'core service')),
  position INTEGER NOT NULL
);
CREATE TABLE service_group_spellings (
  spelling      TEXT PRIMARY KEY,   -- another spelling a layout uses, e.g. 'old'
  service_group TEXT NOT NULL REFERENCES service_groups(name)
) WITHOUT ROWID;
INSERT INTO service_groups(name, kind, position) VALUES
${V6_SERVICE_GROUPS.map(([name, kind], i) => `  (${sqlText(name)}, ${sqlText(kind)}, ${i + 1})`).join(',\n')};
INSERT INTO service_group_spellings(spelling, service_group) VALUES
${V6_SERVICE_GROUPS.flatMap(([name, , spellings]) => spellings.map((s) => `  (${sqlText(s)}, ${sqlText(name)})`)).join(',\n')};
INSERT OR IGNORE INTO publication_labels(kind, value, label) VALUES
  ('serviceGroup', 'People with long term conditions', 'People with long-term conditions');

UPDATE imports SET
  coverage = 'latest',
  covers_from = CASE WHEN edition GLOB ${V6_ISO} THEN edition ELSE json_extract(notes, '$.latestPublication') END,
  covers_basis = CASE WHEN edition GLOB ${V6_ISO} THEN 'edition' ELSE 'latest publication date' END
WHERE kind = 'cqc-ratings' AND (edition GLOB ${V6_ISO} OR (json_valid(notes) AND json_extract(notes, '$.latestPublication') IS NOT NULL));
UPDATE imports SET
  coverage = 'history',
  covers_from = (SELECT min(published_on) FROM ratings WHERE import_id = imports.id),
  covers_to = (SELECT max(published_on) FROM ratings WHERE import_id = imports.id),
  covers_basis = 'span'
WHERE kind = 'demo' AND EXISTS (SELECT 1 FROM ratings WHERE import_id = imports.id);

-- Ratings spelt by a code whose group already has a rating with the same key (or another code of the same group has,
-- the lower id kept): dropped before the rename, which the key's uniqueness would refuse.
CREATE TEMP TABLE v6_twins AS
SELECT r.id AS id, coalesce(
  (SELECT t.id FROM ratings t
   WHERE t.location_id = r.location_id AND t.service_group = s.service_group AND t.key_question_id = r.key_question_id AND t.published_on = r.published_on),
  (SELECT min(t.id) FROM ratings t JOIN service_group_spellings s2 ON s2.spelling = t.service_group
   WHERE s2.service_group = s.service_group AND t.location_id = r.location_id AND t.key_question_id = r.key_question_id AND t.published_on = r.published_on)) AS kept
FROM ratings r JOIN service_group_spellings s ON s.spelling = r.service_group;
DELETE FROM v6_twins WHERE kept = id;
INSERT INTO audit_log(at, actor, action, table_name, record_id, before, after)
SELECT strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), 'assay', 'rating.merge', 'ratings', r.id,
       json_object('id', r.id, 'location_id', r.location_id, 'service_group', r.service_group, 'key_question_id', r.key_question_id,
                   'published_on', r.published_on, 'rating', r.rating, 'report_type', r.report_type, 'inherited', r.inherited, 'import_id', r.import_id),
       json_object('kept', t.id, 'service_group', t.service_group, 'rating', t.rating, 'report_type', t.report_type, 'inherited', t.inherited)
FROM v6_twins x JOIN ratings r ON r.id = x.id JOIN ratings t ON t.id = x.kept
WHERE t.rating <> r.rating OR t.report_type IS NOT r.report_type;
DELETE FROM ratings WHERE id IN (SELECT id FROM v6_twins);
DROP TABLE v6_twins;
UPDATE ratings SET service_group = (SELECT s.service_group FROM service_group_spellings s WHERE s.spelling = ratings.service_group)
WHERE service_group IN (SELECT spelling FROM service_group_spellings);

UPDATE locations SET
  registration_status = CASE WHEN deregistered_on IS NOT NULL THEN 'Deregistered' ELSE 'Registered' END,
  registration_as_of = coalesce((SELECT coalesce(i.covers_to, i.covers_from) FROM imports i WHERE i.id = locations.import_id), substr(updated_at, 1, 10))
WHERE registered_on IS NOT NULL;
INSERT INTO location_details(location_id, effective_from, observed_to, name, sector_id, location_type, category, care_home, local_authority_id, region_id, beds, import_id)
SELECT id, f, max(f, t), name, sector_id, location_type, category, care_home, local_authority_id, region_id, beds, import_id FROM (
  SELECT l.id, l.name, l.sector_id, l.location_type, l.category, l.care_home, l.local_authority_id, l.region_id, l.beds, l.import_id,
         coalesce(CASE WHEN i.coverage = 'history' THEN coalesce(l.registered_on, i.covers_from) ELSE i.covers_from END, substr(l.updated_at, 1, 10)) AS f,
         coalesce(CASE WHEN i.coverage = 'history' THEN i.covers_to ELSE i.covers_from END, substr(l.updated_at, 1, 10)) AS t
  FROM locations l LEFT JOIN imports i ON i.id = l.import_id);
`;

/**
 * Version 7: editions. A report made as the next edition of another ("State of Care 2018/19" from 2017/18) keeps a
 * link to the edition it came from, for the blackline of numbers that moved between them.
 */
const V7_EDITIONS = /* sql */ `
ALTER TABLE reports ADD COLUMN previous_edition_id TEXT REFERENCES reports(id) ON DELETE SET NULL;
`;

/**
 * Version 8: inspections and assessments as first-class records, under assessment frameworks held as data.
 *
 * - `assessment_frameworks`, `framework_versions` (each version's scoring rules as JSON, with the dates it applies
 *   from and to, and its source), `framework_groups` (key questions, or a local authority assessment's themes, each
 *   with the key question its rating is published as), `quality_statements` and `evidence_categories`; seeded with
 *   CQC's single assessment framework and local authority assessment (shared/store/framework-seed.ts, frozen here).
 * - `assessments`: an inspection or assessment of a location, provider, local authority or integrated care system,
 *   with its framework version, kind, site visit dates and team (JSON arrays) and its status (planned, in progress,
 *   draft report, in moderation, published). The older `inspections` table keeps the key-lines-of-enquiry inspections
 *   that historical ratings came from.
 * - `assessment_scores` (1 to 4 per quality statement, `derived` when the version builds it from evidence category
 *   scores) and `assessment_category_scores` (per evidence category, where the version scores them).
 * - `assessment_ratings`: each key question's and the overall rating of an assessment, as the rules computed it and as
 *   the team set it (a change from the computed rating carries its reason). Draft until the assessment is published;
 *   never counted by rating figures, which read `ratings`. Publishing a location's assessment writes its ratings there.
 * - `ratings.assessment_id`, and `corrected_at`, `corrected_by`, `correction_reason`: a published rating corrected
 *   after publication says so, and why.
 * - `findings.assessment_id`, `key_question_id`, `quality_statement_id`; `evidence.inspection_id`, `assessment_id`,
 *   `evidence_category_id`: findings and evidence belong to the work they came from.
 */
const V8_ASSESSMENTS = /* sql */ `
CREATE TABLE assessment_frameworks (
  id            TEXT PRIMARY KEY,
  name          TEXT NOT NULL UNIQUE,
  regulator     TEXT NOT NULL,
  subject_types TEXT NOT NULL,          -- JSON array: 'location', 'provider', 'local authority', 'integrated care system'
  scale_id      TEXT NOT NULL           -- the rating scale its ratings are given on
);
CREATE TABLE framework_versions (
  id             TEXT PRIMARY KEY,
  framework_id   TEXT NOT NULL REFERENCES assessment_frameworks(id),
  name           TEXT NOT NULL,
  effective_from TEXT NOT NULL,
  effective_to   TEXT,                  -- exclusive; NULL while in force
  rules          TEXT NOT NULL,         -- JSON: shared/store/scoring.ts ScoringRules
  source_url     TEXT
);
CREATE TABLE framework_groups (
  framework_id    TEXT NOT NULL REFERENCES assessment_frameworks(id),
  id              TEXT NOT NULL,
  name            TEXT NOT NULL,
  position        INTEGER NOT NULL,
  key_question_id TEXT,                 -- the key question its rating is published as; NULL for themes that are not rated
  PRIMARY KEY (framework_id, id)
) WITHOUT ROWID;
CREATE TABLE quality_statements (
  id           TEXT PRIMARY KEY,
  framework_id TEXT NOT NULL,
  group_id     TEXT NOT NULL,
  name         TEXT NOT NULL,
  position     INTEGER NOT NULL,
  FOREIGN KEY (framework_id, group_id) REFERENCES framework_groups(framework_id, id)
);
CREATE TABLE evidence_categories (
  id       TEXT PRIMARY KEY,
  name     TEXT NOT NULL UNIQUE,
  position INTEGER NOT NULL
);
CREATE TABLE assessments (
  id                   TEXT PRIMARY KEY,
  framework_version_id TEXT NOT NULL REFERENCES framework_versions(id),
  subject_type         TEXT NOT NULL CHECK (subject_type IN ('location','provider','local authority','integrated care system')),
  subject_id           TEXT NOT NULL,
  kind                 TEXT NOT NULL,
  title                TEXT,
  status               TEXT NOT NULL DEFAULT 'planned' CHECK (status IN ('planned','in progress','draft report','in moderation','published')),
  site_visits          TEXT NOT NULL DEFAULT '[]',   -- JSON array of dates
  team                 TEXT NOT NULL DEFAULT '[]',   -- JSON array of {name, role}
  lead_inspector       TEXT,
  summary              TEXT,
  published_on         TEXT,
  created_at           TEXT NOT NULL,
  updated_at           TEXT NOT NULL
);
CREATE INDEX assessments_subject ON assessments(subject_type, subject_id);
CREATE TABLE assessment_scores (
  assessment_id        TEXT NOT NULL REFERENCES assessments(id) ON DELETE CASCADE,
  quality_statement_id TEXT NOT NULL REFERENCES quality_statements(id),
  score                INTEGER NOT NULL CHECK (score BETWEEN 1 AND 9),
  derived              INTEGER NOT NULL DEFAULT 0 CHECK (derived IN (0, 1)),
  note                 TEXT,
  updated_at           TEXT NOT NULL,
  PRIMARY KEY (assessment_id, quality_statement_id)
) WITHOUT ROWID;
CREATE TABLE assessment_category_scores (
  assessment_id        TEXT NOT NULL REFERENCES assessments(id) ON DELETE CASCADE,
  quality_statement_id TEXT NOT NULL REFERENCES quality_statements(id),
  evidence_category_id TEXT NOT NULL REFERENCES evidence_categories(id),
  score                INTEGER NOT NULL CHECK (score BETWEEN 1 AND 9),
  updated_at           TEXT NOT NULL,
  PRIMARY KEY (assessment_id, quality_statement_id, evidence_category_id)
) WITHOUT ROWID;
CREATE TABLE assessment_ratings (
  assessment_id   TEXT NOT NULL REFERENCES assessments(id) ON DELETE CASCADE,
  key_question_id TEXT NOT NULL,        -- a framework group's key question, or the overall key question
  computed        TEXT,                 -- what the version's rules give from the scores
  score_percent   REAL,
  rating          TEXT NOT NULL,        -- what the team gives it
  reason          TEXT,                 -- why, when it differs from the computed rating
  updated_at      TEXT NOT NULL,
  PRIMARY KEY (assessment_id, key_question_id)
) WITHOUT ROWID;

ALTER TABLE ratings ADD COLUMN assessment_id TEXT REFERENCES assessments(id);
ALTER TABLE ratings ADD COLUMN corrected_at TEXT;
ALTER TABLE ratings ADD COLUMN corrected_by TEXT;
ALTER TABLE ratings ADD COLUMN correction_reason TEXT;
ALTER TABLE findings ADD COLUMN assessment_id TEXT REFERENCES assessments(id);
ALTER TABLE findings ADD COLUMN key_question_id TEXT;
ALTER TABLE findings ADD COLUMN quality_statement_id TEXT REFERENCES quality_statements(id);
ALTER TABLE evidence ADD COLUMN inspection_id TEXT REFERENCES inspections(id);
ALTER TABLE evidence ADD COLUMN assessment_id TEXT REFERENCES assessments(id);
ALTER TABLE evidence ADD COLUMN evidence_category_id TEXT REFERENCES evidence_categories(id);
CREATE INDEX findings_assessment ON findings(assessment_id);
CREATE INDEX evidence_assessment ON evidence(assessment_id);

INSERT INTO evidence_categories(id, name, position) VALUES
${EVIDENCE_CATEGORIES.map(([id, name], i) => `  (${sqlText(id)}, ${sqlText(name)}, ${i + 1})`).join(',\n')};
${[SAF, LA_ASSESSMENT]
  .map(
    (f) => `INSERT INTO assessment_frameworks(id, name, regulator, subject_types, scale_id) VALUES (${sqlText(f.id)}, ${sqlText(f.name)}, ${sqlText(f.regulator)}, ${sqlText(JSON.stringify(f.subjectTypes))}, ${sqlText(f.scaleId)});
INSERT INTO framework_groups(framework_id, id, name, position, key_question_id) VALUES
${f.groups.map((g, i) => `  (${sqlText(f.id)}, ${sqlText(g.id)}, ${sqlText(g.name)}, ${i + 1}, ${g.keyQuestionId ? sqlText(g.keyQuestionId) : 'NULL'})`).join(',\n')};
INSERT INTO quality_statements(id, framework_id, group_id, name, position) VALUES
${f.groups.flatMap((g) => g.statements.map(([id, name], i) => `  (${sqlText(id)}, ${sqlText(f.id)}, ${sqlText(g.id)}, ${sqlText(name)}, ${i + 1})`)).join(',\n')};`,
  )
  .join('\n')}
INSERT INTO framework_versions(id, framework_id, name, effective_from, effective_to, rules, source_url) VALUES
${FRAMEWORK_VERSIONS.map((v) => `  (${sqlText(v.id)}, ${sqlText(v.frameworkId)}, ${sqlText(v.name)}, ${sqlText(v.effectiveFrom)}, ${v.effectiveTo ? sqlText(v.effectiveTo) : 'NULL'}, ${sqlText(JSON.stringify(v.rules))}, ${sqlText(v.sourceUrl)})`).join(',\n')};
`;

/**
 * The rating index's change log: the v2 triggers that bump `meta.ratings_generation` on any change to ratings or
 * locations also record which row changed (its rowid, and the generation the change made), whoever makes it (Assay,
 * a journal replay, the sqlite3 shell), so that an index stored at an older generation is patched from those rows on
 * opening instead of being rebuilt from every row. `meta.ratings_log_from` is the generation the log starts after:
 * storing the index trims the log to it. Past RATINGS_LOG_CAP generations beyond it the triggers stop logging (a bulk
 * change is cheaper to rebuild from than to patch), and a reader that finds the log short of the generation rebuilds.
 * Derived data, like derived_cache: dumps, merges and the audit log ignore it.
 */
/** The cap written into migration 9's triggers (a shipped migration never changes: a new cap is a new migration). */
export const RATINGS_LOG_CAP = 100_000;
const V9_RATINGS_CHANGE_LOG = /* sql */ `
CREATE TABLE derived_changes (
  generation INTEGER NOT NULL,   -- meta.ratings_generation after the change
  tbl        TEXT NOT NULL CHECK (tbl IN ('ratings', 'locations')),
  row_id     INTEGER NOT NULL    -- the changed row's rowid (for ratings, its id)
);
INSERT OR REPLACE INTO meta(key, value) SELECT 'ratings_log_from', value FROM meta WHERE key = 'ratings_generation';
${['ratings', 'locations']
  .flatMap((t) =>
    ['INSERT', 'UPDATE', 'DELETE'].map((op) => {
      const rows = op === 'INSERT' ? ['NEW.rowid'] : op === 'DELETE' ? ['OLD.rowid'] : ['OLD.rowid', 'NEW.rowid'];
      const log = rows
        .map(
          (r, i) => `  INSERT INTO derived_changes(generation, tbl, row_id)
  SELECT CAST(g.value AS INTEGER), '${t}', ${r} FROM meta g, meta f
  WHERE g.key = 'ratings_generation' AND f.key = 'ratings_log_from'
    AND CAST(g.value AS INTEGER) - CAST(f.value AS INTEGER) <= 100000${i === 1 ? ' AND NEW.rowid <> OLD.rowid' : ''};`,
        )
        .join('\n');
      return `DROP TRIGGER ${t}_generation_${op.toLowerCase()};
CREATE TRIGGER ${t}_generation_${op.toLowerCase()} AFTER ${op} ON ${t} BEGIN
  UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'ratings_generation';
${log}
END;`;
    }),
  )
  .join('\n')}
`;

/**
 * Evidence as a reference a reader can follow: who published it (a publisher or an author), when, where (a URL) and
 * when that URL was read. The title is the one evidence already has; the collection date and the internal reference
 * stay internal (a public edition's notes print only these).
 */
const V10_EVIDENCE_CITATIONS = /* sql */ `
ALTER TABLE evidence ADD COLUMN publisher TEXT;
ALTER TABLE evidence ADD COLUMN published_on TEXT CHECK (published_on IS NULL OR published_on GLOB ${"'[0-9][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]'"});
ALTER TABLE evidence ADD COLUMN url TEXT;
ALTER TABLE evidence ADD COLUMN accessed_on TEXT CHECK (accessed_on IS NULL OR accessed_on GLOB ${"'[0-9][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]'"});
`;

export const MIGRATIONS: readonly Migration[] = [
  { version: 1, name: 'initial schema', sql: V1 },
  { version: 2, name: 'derived cache for the figure index, with a generation bumped by triggers', sql: V2 },
  { version: 3, name: 'section approvals: content snapshots and last editor', sql: V3_SECTION_APPROVALS },
  { version: 4, name: 'publication labels, and the source of each import in words', sql: V4_LABELS_SQL },
  { version: 5, name: 'report settings', sql: V5_REPORT_SETTINGS },
  { version: 6, name: 'registration status and details history of locations, coverage of imports, one vocabulary of service groups', sql: V6_REGISTER_COVERAGE_GROUPS },
  { version: 7, name: 'editions: the report a report was made from', sql: V7_EDITIONS },
  { version: 8, name: 'inspections and assessments under assessment frameworks held as data: scores, draft ratings, corrections', sql: V8_ASSESSMENTS },
  { version: 9, name: 'the rating index change log: rows changed since the index was stored', sql: V9_RATINGS_CHANGE_LOG },
  { version: 10, name: 'evidence as references: publisher or author, date published, URL, date accessed', sql: V10_EVIDENCE_CITATIONS },
];

export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;

export { TABLES, type TableName } from './tables';
