/**
 * Schema versions, applied in order by `user_version`. Append only: a shipped migration never changes.
 */
export const migrations: readonly string[] = [
  `
  CREATE TABLE jobs (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    kind          TEXT    NOT NULL,
    label         TEXT    NOT NULL,
    state         TEXT    NOT NULL CHECK (state IN ('queued','running','succeeded','failed','cancelled')),
    input         TEXT    NOT NULL,
    priority      INTEGER NOT NULL DEFAULT 0,
    attempts      INTEGER NOT NULL DEFAULT 0,
    max_attempts  INTEGER NOT NULL DEFAULT 1,
    interruptions INTEGER NOT NULL DEFAULT 0,
    progress      TEXT,
    result        TEXT,
    error         TEXT,
    log           TEXT,
    created_at    INTEGER NOT NULL,
    started_at    INTEGER,
    finished_at   INTEGER,
    run_after     INTEGER
  );
  CREATE INDEX jobs_state_id ON jobs (state, id);
  CREATE INDEX jobs_kind_id ON jobs (kind, id);
  CREATE INDEX jobs_queue_order ON jobs (state, priority DESC, id);
  CREATE INDEX jobs_finished ON jobs (finished_at DESC, id DESC) WHERE finished_at IS NOT NULL;
  `,
  // `list` by a rare state and a kind, and by text. Neither index changes when a job starts or succeeds: the
  // first holds only failed and cancelled jobs, the second only columns written once, appended in id order.
  `
  CREATE INDEX jobs_kind_unsuccessful ON jobs (kind, state, id) WHERE state = 'failed' OR state = 'cancelled';
  CREATE INDEX jobs_text ON jobs (id, label, kind);
  `,
  // The queue's settings as the user last made them (how many jobs at once, paused): a restart keeps them.
  `
  CREATE TABLE queue_settings (name TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
  `,
  // The outputs a running job is about to put in place (see placed-outputs.ts), until it ends.
  `
  ALTER TABLE jobs ADD COLUMN placing TEXT;
  `,
  // The run order holds queued jobs only: a job leaves it once as it starts, and its end no longer moves it.
  `
  DROP INDEX jobs_queue_order;
  CREATE INDEX jobs_queued_order ON jobs (priority DESC, id) WHERE state = 'queued';
  `,
  // Files and folders the user handed Spool (see granted-paths.ts): queued jobs and retries keep their access
  // after a restart.
  `
  CREATE TABLE grants (path TEXT PRIMARY KEY, folder INTEGER NOT NULL, granted_at INTEGER NOT NULL) WITHOUT ROWID;
  CREATE INDEX grants_age ON grants (granted_at);
  `,
  // When the user asked to cancel a job whose work had not stopped yet: a restart in between ends it cancelled
  // instead of running it again. The index holds only such jobs, so writing a start or an end never touches it.
  `
  ALTER TABLE jobs ADD COLUMN stop_asked_at INTEGER;
  CREATE INDEX jobs_stop_asked ON jobs (id) WHERE stop_asked_at IS NOT NULL;
  `,
]

/** Marks a file as Spool's, so a foreign SQLite database is never migrated over. */
export const applicationId = 0x53504f4c // "SPOL"
