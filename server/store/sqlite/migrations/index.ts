import type Database from 'better-sqlite3';
import { core } from './001-core.ts';
import { certify } from './004-certify.ts';
import { checkout } from './005-checkout.ts';
import { faces } from './003-faces.ts';
import { bibtrack } from './006-bibtrack.ts';
import { eventPage } from './008-event-page.ts';
import { video } from './009-video.ts';
import { accounts } from './010-accounts.ts';
import { credits } from './011-credits.ts';
import { faceBibLinks } from './012-face-bib-links.ts';
import { faceQuality } from './0121-face-quality.ts';
import { jobs } from './013-jobs.ts';
import { perf } from './014-perf.ts';
import { rateLimits } from './0131-rate-limits.ts';
import { loginFailures } from './015-login-failures.ts';
import { jobBatches } from './016-job-batches.ts';
import { accessVersion } from './017-access-version.ts';

export interface Migration {
  /** Strictly increasing; applied in this order, each once, each in its own transaction. */
  version: number;
  name: string;
  up: string | ((db: Database.Database) => void);
}

/** Every schema change, in order. Add new ones at the end; never edit an applied one. */
export const MIGRATIONS: readonly Migration[] = [
  core,
  faces,
  checkout,
  certify,
  bibtrack,
  eventPage,
  video,
  accounts,
  credits,
  faceBibLinks,
  faceQuality,
  jobs,
  perf,
  rateLimits,
  loginFailures,
  jobBatches,
  accessVersion,
];

export function migrate(db: Database.Database, migrations: readonly Migration[] = MIGRATIONS): number[] {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY, name TEXT NOT NULL,
    applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')))`);
  const applied = new Set(
    (db.prepare('SELECT version FROM schema_migrations').all() as { version: number }[]).map((r) => r.version),
  );
  const ran: number[] = [];
  const done = db.prepare('SELECT 1 FROM schema_migrations WHERE version = ?');
  for (const m of [...migrations].sort((a, b) => a.version - b.version)) {
    if (applied.has(m.version)) continue;
    // IMMEDIATE takes the write lock first; the check inside sees what another process (started at the same time)
    // applied while this one waited, so each migration runs once.
    const apply = db.transaction(() => {
      if (done.get(m.version)) return false;
      if (typeof m.up === 'string') db.exec(m.up);
      else m.up(db);
      db.prepare('INSERT INTO schema_migrations (version, name) VALUES (?, ?)').run(m.version, m.name);
      return true;
    });
    if (apply.immediate()) ran.push(m.version);
  }
  return ran;
}
