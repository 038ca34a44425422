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
  // 3: continuous monitoring. Findings may be `excepted` (SQLite cannot alter a CHECK, so the
  // table is rebuilt with its rows and ids as they were); run scope and locks; drift, alerts,
  // the exceptions register and manual evidence.
  `
  CREATE TABLE findings_v3 (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    run_id INTEGER NOT NULL REFERENCES runs(id),
    check_id TEXT NOT NULL,
    source TEXT NOT NULL,
    source_type TEXT NOT NULL,
    account TEXT NOT NULL,
    region TEXT NOT NULL,
    resource_id TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('pass', 'fail', 'error', 'not_applicable', 'excepted')),
    reason TEXT NOT NULL,
    evidence_sha256 TEXT,
    controls TEXT,
    exception TEXT
  );
  INSERT INTO findings_v3 (id, run_id, check_id, source, source_type, account, region, resource_id, status, reason, evidence_sha256, controls)
    SELECT id, run_id, check_id, source, source_type, account, region, resource_id, status, reason, evidence_sha256, controls FROM findings;
  DROP TABLE findings;
  ALTER TABLE findings_v3 RENAME TO findings;
  CREATE INDEX findings_run ON findings(run_id);
  ALTER TABLE control_results ADD COLUMN excepted INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE control_results ADD COLUMN justification TEXT;
  ALTER TABLE runs ADD COLUMN sources TEXT;
  ALTER TABLE runs ADD COLUMN lock_owner TEXT;
  CREATE TABLE locks (
    name TEXT PRIMARY KEY,
    owner TEXT NOT NULL,
    acquired_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
  );
  CREATE TABLE drift_events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    run_id INTEGER NOT NULL REFERENCES runs(id),
    previous_run_id INTEGER NOT NULL REFERENCES runs(id),
    kind TEXT NOT NULL,
    key TEXT NOT NULL,
    severity TEXT NOT NULL,
    message TEXT NOT NULL,
    check_id TEXT,
    control_id TEXT,
    objective_id TEXT,
    before TEXT,
    after TEXT
  );
  CREATE INDEX drift_events_run ON drift_events(run_id);
  CREATE TABLE alert_state (
    key TEXT PRIMARY KEY,
    open INTEGER NOT NULL,
    severity TEXT NOT NULL,
    message TEXT NOT NULL,
    opened_at TEXT NOT NULL,
    last_sent_at TEXT,
    changes TEXT NOT NULL
  );
  CREATE TABLE alert_deliveries (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    run_id INTEGER REFERENCES runs(id),
    channel TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('sent', 'failed')),
    attempts INTEGER NOT NULL,
    error TEXT,
    at TEXT NOT NULL,
    alerts TEXT NOT NULL
  );
  CREATE INDEX alert_deliveries_run ON alert_deliveries(run_id);
  CREATE TABLE exceptions (
    id TEXT PRIMARY KEY,
    check_id TEXT NOT NULL,
    resource TEXT,
    source TEXT,
    account TEXT,
    reason TEXT NOT NULL,
    owner TEXT NOT NULL,
    approved_by TEXT NOT NULL,
    expires TEXT NOT NULL,
    created_at TEXT NOT NULL
  );
  CREATE TABLE manual_evidence (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    control_id TEXT NOT NULL,
    file_name TEXT NOT NULL,
    size INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    content BLOB NOT NULL,
    note TEXT NOT NULL,
    valid_until TEXT,
    added_at TEXT NOT NULL
  );
  CREATE INDEX manual_evidence_control ON manual_evidence(control_id);
  `,
  // 4: retention. A pruned run keeps its header and hash; the inputs of its hash that were
  // deleted (evidence digests, findings digest) are kept with it so the chain still verifies.
  `
  ALTER TABLE runs ADD COLUMN pruned_at TEXT;
  ALTER TABLE runs ADD COLUMN pruned_inputs TEXT;
  `,
  // 5: faithful re-rendering and evidence sets. What each run was judged with (checks' metadata
  // and mapping, the catalog, evidence sets, exceptions in force, SoA) is kept with the run and
  // covered by its hash; control results record which evidence-set elements were collected;
  // manual evidence may fill one element.
  `
  CREATE TABLE run_context (
    run_id INTEGER PRIMARY KEY REFERENCES runs(id),
    content TEXT NOT NULL,
    sha256 TEXT NOT NULL
  );
  ALTER TABLE control_results ADD COLUMN elements TEXT;
  ALTER TABLE manual_evidence ADD COLUMN element TEXT;
  `,
  // 6: integrity beyond runs. A ledger (its own hash chain, its head folded into each run's hash)
  // records manual evidence, exceptions, drift, alert deliveries and prunes; runs record which
  // hash formula they were sealed with and the ledger entry their hash includes.
  `
  CREATE TABLE ledger (
    seq INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    ref TEXT NOT NULL,
    at TEXT NOT NULL,
    content_sha256 TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
  );
  CREATE INDEX ledger_ref ON ledger(kind, ref);
  ALTER TABLE runs ADD COLUMN hash_version INTEGER;
  ALTER TABLE runs ADD COLUMN ledger_seq INTEGER;
  `,
  // 7: drift merges two runs' findings in key order, a page at a time.
  `CREATE INDEX findings_run_key ON findings(run_id, check_id, source, account, region, resource_id, id);
   CREATE INDEX findings_run_resource ON findings(run_id, source, account, region, resource_id);`,
  // 8: the registers that close the PDCA loop (risks, nonconformities, management reviews, audit
  // samples) as versioned records, each version chained in the ledger; and per run the small
  // summary the loop's rules look back over (check counts, stale controls, objective statuses).
  `
  CREATE TABLE register_records (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    register TEXT NOT NULL,
    entry_id TEXT NOT NULL,
    version INTEGER NOT NULL,
    content TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    UNIQUE (register, entry_id, version)
  );
  CREATE TABLE run_summaries (
    run_id INTEGER PRIMARY KEY REFERENCES runs(id),
    started_at TEXT NOT NULL,
    content TEXT NOT NULL,
    registers TEXT
  );
  CREATE INDEX run_summaries_started ON run_summaries(started_at);
  `,
];
