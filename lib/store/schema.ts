/**
 * The index's tables (schema `xp_index`, free to change with {@linkcode SCHEMA_VERSION}) and the
 * views of ARCHITECTURE section 8 over them (stable). Tables refer to a trial by a small integer
 * `tid`, which keeps the big tables narrow (a scalar point is 4 numbers) and joins cheap; the views
 * put the key back.
 *
 * | view | columns |
 * |---|---|
 * | `trials` | key, experiment, stage, name, status, run_id, attempt, started_at, finished_at, duration_s, exit_code, error, git_commit, parent, params STRUCT, metrics STRUCT, tags MAP |
 * | `results` | key, experiment, stage, name, status, one column per param path, one per metric |
 * | `params` | key, path, value (JSON text), num (DOUBLE or NULL), source (`config` or `event`) |
 * | `metrics` | key, name, value DOUBLE |
 * | `scalars` | key, name, step DOUBLE, value DOUBLE, time DOUBLE (seconds since the epoch), context (JSON text or NULL) |
 * | `texts` | key, name, step, value (cut at the text limit) |
 * | `artifacts` | key, kind, name, path, sha256, bytes, media_type, step |
 * | `runs` | run_id, started_at, finished_at, argv VARCHAR[], status, counts STRUCT |
 * | `deps` | key, dep_key |
 * | `tags` | key, name, value (from `tags.json`) |
 * | `notes` | key, note (from `notes.md`) |
 * | `lineage` | key, ancestor, depth (1 = parent), stage, name, ancestor_stage, ancestor_name |
 *
 * Timestamps are `TIMESTAMP` in UTC. `trials` and `results` depend on the params and metrics seen
 * and are rebuilt by `views.ts` after each ingest.
 *
 * @module
 */

/** Bumped whenever the tables change; an index with another version is rebuilt on open. */
export const SCHEMA_VERSION = 4;

/** The views of ARCHITECTURE section 8. */
export const VIEW_NAMES = [
  "trials",
  "results",
  "params",
  "metrics",
  "scalars",
  "texts",
  "artifacts",
  "runs",
  "deps",
  "tags",
  "notes",
  "lineage",
] as const;

/** The schema of the tables. */
export const TABLES = "xp_index";

/** Outcome names counted in a run record, each a field of `runs.counts`. */
export const RUN_COUNTS = [
  "ok",
  "failed",
  "timeout",
  "killed",
  "skipped",
  "interrupted",
  "cached",
  "blocked",
] as const;

/**
 * The longest chain of ancestors the `lineage` view follows. A key covers its parent's key, so a
 * chain cannot loop; the bound only guards against hand-edited meta.json files.
 */
export const MAX_LINEAGE_DEPTH = 1000;

/** Creates the tables and the views that do not depend on the data (`views.ts` adds the rest). */
export function createSchemaSql(): string {
  const counts = RUN_COUNTS.map((name) => `n_${name} INTEGER`).join(", ");
  return `
CREATE SCHEMA IF NOT EXISTS ${TABLES};
CREATE TABLE ${TABLES}.info (name VARCHAR, value VARCHAR);
CREATE TABLE ${TABLES}.trial (
  tid INTEGER, key VARCHAR, experiment VARCHAR, stage VARCHAR, name VARCHAR, status VARCHAR,
  run_id VARCHAR, attempt INTEGER, started_at TIMESTAMP, finished_at TIMESTAMP, duration_s DOUBLE,
  exit_code INTEGER, signal VARCHAR, error VARCHAR, git_commit VARCHAR, git_branch VARCHAR,
  git_dirty BOOLEAN, code_digest VARCHAR, host VARCHAR, status_mtime DOUBLE, warnings INTEGER,
  parent VARCHAR);
CREATE TABLE ${TABLES}.param (tid INTEGER, path VARCHAR, value VARCHAR, num DOUBLE, type TINYINT, event BOOLEAN);
CREATE TABLE ${TABLES}.metric (tid INTEGER, name VARCHAR, value DOUBLE, source TINYINT);
CREATE TABLE ${TABLES}.series (
  series_id INTEGER, tid INTEGER, name VARCHAR, context VARCHAR, points INTEGER);
CREATE TABLE ${TABLES}.point (series_id INTEGER, step DOUBLE, value DOUBLE, time DOUBLE);
CREATE TABLE ${TABLES}.point_lod (series_id INTEGER, step DOUBLE, value DOUBLE, time DOUBLE);
CREATE TABLE ${TABLES}.text (tid INTEGER, name VARCHAR, step DOUBLE, value VARCHAR, chars BIGINT);
CREATE TABLE ${TABLES}.artifact (
  tid INTEGER, kind VARCHAR, name VARCHAR, path VARCHAR, sha256 VARCHAR, bytes BIGINT,
  media_type VARCHAR, step DOUBLE);
CREATE TABLE ${TABLES}.dep (tid INTEGER, dep_key VARCHAR);
CREATE TABLE ${TABLES}.tag (tid INTEGER, name VARCHAR, value VARCHAR);
CREATE TABLE ${TABLES}.note (tid INTEGER, note VARCHAR);
CREATE TABLE ${TABLES}.wide (tid INTEGER);
CREATE TABLE ${TABLES}.run (
  run_id VARCHAR, started_at TIMESTAMP, finished_at TIMESTAMP, argv VARCHAR[], status VARCHAR,
  experiment VARCHAR, host VARCHAR, cwd VARCHAR, mtime DOUBLE, ${counts});
INSERT INTO ${TABLES}.info VALUES
  ('schema_version', '${SCHEMA_VERSION}'), ('views_shape', ''), ('scan_marks', '');
CREATE OR REPLACE VIEW params AS
  SELECT t.key, p.path, p.value, p.num, CASE WHEN p.event THEN 'event' ELSE 'config' END AS source
  FROM ${TABLES}.param p JOIN ${TABLES}.trial t ON t.tid = p.tid;
CREATE OR REPLACE VIEW metrics AS
  SELECT t.key, m.name, m.value FROM ${TABLES}.metric m JOIN ${TABLES}.trial t ON t.tid = m.tid;
CREATE OR REPLACE VIEW scalars AS
  SELECT t.key, s.name, p.step, p.value, p.time, s.context
  FROM ${TABLES}.point p JOIN ${TABLES}.series s ON s.series_id = p.series_id
  JOIN ${TABLES}.trial t ON t.tid = s.tid;
CREATE OR REPLACE VIEW texts AS
  SELECT t.key, x.name, x.step, x.value FROM ${TABLES}.text x JOIN ${TABLES}.trial t ON t.tid = x.tid;
CREATE OR REPLACE VIEW artifacts AS
  SELECT t.key, a.kind, a.name, a.path, a.sha256, a.bytes, a.media_type, a.step
  FROM ${TABLES}.artifact a JOIN ${TABLES}.trial t ON t.tid = a.tid;
CREATE OR REPLACE VIEW deps AS
  SELECT t.key, d.dep_key FROM ${TABLES}.dep d JOIN ${TABLES}.trial t ON t.tid = d.tid;
CREATE OR REPLACE VIEW tags AS
  SELECT t.key, g.name, g.value FROM ${TABLES}.tag g JOIN ${TABLES}.trial t ON t.tid = g.tid;
CREATE OR REPLACE VIEW notes AS
  SELECT t.key, n.note FROM ${TABLES}.note n JOIN ${TABLES}.trial t ON t.tid = n.tid;
CREATE OR REPLACE VIEW lineage AS
  WITH RECURSIVE chain(key, ancestor, depth) AS (
    SELECT key, parent, 1 FROM ${TABLES}.trial WHERE parent IS NOT NULL
    UNION ALL
    SELECT c.key, t.parent, c.depth + 1 FROM chain c JOIN ${TABLES}.trial t ON t.key = c.ancestor
    WHERE t.parent IS NOT NULL AND c.depth < ${MAX_LINEAGE_DEPTH}
  )
  SELECT c.key, c.ancestor, c.depth, t.stage, t.name, a.stage AS ancestor_stage,
    a.name AS ancestor_name
  FROM chain c JOIN ${TABLES}.trial t ON t.key = c.key
  LEFT JOIN ${TABLES}.trial a ON a.key = c.ancestor;
CREATE OR REPLACE VIEW runs AS
  SELECT run_id, started_at, finished_at, argv, status,
    struct_pack(${RUN_COUNTS.map((name) => `"${name}" := n_${name}`).join(", ")}) AS counts
  FROM ${TABLES}.run;
`;
}
