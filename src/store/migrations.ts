/**
 * Versioned schema migrations, applied in order at open; version N is MIGRATIONS[N - 1].
 * Never edit a released migration: add a new one.
 */
export const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE runs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    started_at TEXT NOT NULL,
    finished_at TEXT,
    status TEXT NOT NULL CHECK (status IN ('running', 'completed', 'partial', 'failed', 'interrupted')),
    organization TEXT NOT NULL,
    error TEXT,
    host TEXT NOT NULL,
    pid INTEGER NOT NULL,
    chain_seq INTEGER UNIQUE,
    prev_hash TEXT,
    hash TEXT
  );
  CREATE TABLE collector_runs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    run_id INTEGER NOT NULL REFERENCES runs(id),
    collector TEXT NOT NULL,
    source TEXT NOT NULL,
    source_type TEXT NOT NULL,
    account TEXT NOT NULL,
    region TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('ok', 'error')),
    error TEXT,
    started_at TEXT NOT NULL,
    finished_at TEXT NOT NULL,
    produces TEXT NOT NULL
  );
  CREATE INDEX collector_runs_run ON collector_runs(run_id);
  CREATE TABLE evidence (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    run_id INTEGER NOT NULL REFERENCES runs(id),
    source TEXT NOT NULL,
    source_type TEXT NOT NULL,
    account TEXT NOT NULL,
    region TEXT NOT NULL,
    kind TEXT NOT NULL,
    api_call TEXT NOT NULL,
    collected_at TEXT NOT NULL,
    payload TEXT NOT NULL,
    sha256 TEXT NOT NULL
  );
  CREATE INDEX evidence_run ON evidence(run_id);
  CREATE INDEX evidence_sha ON evidence(sha256);
  CREATE TABLE findings (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    run_id INTEGER NOT NULL REFERENCES runs(id),
    check_id TEXT NOT NULL,
    source TEXT NOT NULL,
    source_type TEXT NOT NULL,
    account TEXT NOT NULL,
    region TEXT NOT NULL,
    resource_id TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('pass', 'fail', 'error', 'not_applicable')),
    reason TEXT NOT NULL,
    evidence_sha256 TEXT
  );
  CREATE INDEX findings_run ON findings(run_id);
  CREATE TABLE control_results (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    run_id INTEGER NOT NULL REFERENCES runs(id),
    control_id TEXT NOT NULL,
    status TEXT NOT NULL,
    coverage TEXT NOT NULL,
    checks TEXT NOT NULL,
    pass INTEGER NOT NULL,
    fail INTEGER NOT NULL,
    error INTEGER NOT NULL,
    not_applicable INTEGER NOT NULL,
    UNIQUE (run_id, control_id)
  );
  CREATE TABLE objective_measurements (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    run_id INTEGER NOT NULL REFERENCES runs(id),
    objective_id TEXT NOT NULL,
    title TEXT NOT NULL,
    owner TEXT NOT NULL,
    metric TEXT NOT NULL,
    value REAL,
    numerator INTEGER NOT NULL,
    denominator INTEGER NOT NULL,
    errors INTEGER NOT NULL,
    target REAL NOT NULL,
    deadline TEXT NOT NULL,
    status TEXT NOT NULL,
    measured_at TEXT NOT NULL,
    UNIQUE (run_id, objective_id)
  );
  CREATE INDEX objective_measurements_objective ON objective_measurements(objective_id);
  `,
  // 2: per-finding Annex A mapping (custom AWS Config rules mapped in config).
  `ALTER TABLE findings ADD COLUMN controls TEXT;`,
];
