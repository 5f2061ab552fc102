import type { Store } from '../types.ts';
import { sqliteAuth } from './auth.ts';
import { sqliteBibs } from './bibs.ts';
import { sqliteCertify } from './certify.ts';
import { sqliteCheckout } from './checkout.ts';
import { sqliteCredits } from './credits.ts';
import { openDb, type Db } from './db.ts';
import { sqliteEventPage } from './event-page.ts';
import { sqliteEvents } from './events.ts';
import { sqliteFaces } from './faces.ts';
import { sqliteFaceLinks } from './face-links.ts';
import { sqliteImages } from './images.ts';
import { sqliteKeys } from './keys.ts';
import { sqliteOrgs } from './orgs.ts';
import { sqliteVideos } from './video.ts';
import { sqliteThrottles } from './throttles.ts';
import { sqliteUploads } from './uploads.ts';

export interface SqliteStore extends Store {
  readonly db: Db;
}

/** The embedded default: one SQLite file (WAL, foreign keys on). */
export function openSqliteStore(file: string): SqliteStore {
  const db = openDb(file);
  return {
    db,
    orgs: sqliteOrgs(db),
    keys: sqliteKeys(db),
    events: sqliteEvents(db),
    images: sqliteImages(db),
    bibs: sqliteBibs(db),
    certificates: sqliteCertify(db),
    checkout: sqliteCheckout(db),
    faces: sqliteFaces(db),
    faceLinks: sqliteFaceLinks(db),
    eventPage: sqliteEventPage(db),
    videos: sqliteVideos(db),
    auth: sqliteAuth(db),
    uploads: sqliteUploads(db),
    throttles: sqliteThrottles(db),
    credits: sqliteCredits(db),
    async check() {
      const rows = db.pragma('integrity_check') as { integrity_check: string }[];
      const fk = db.pragma('foreign_key_check') as unknown[];
      const problems = rows.map((r) => r.integrity_check).filter((s) => s !== 'ok');
      if (fk.length) problems.push(`${fk.length} foreign key violations`);
      return problems;
    },
    async close() {
      if (db.open) db.close();
    },
  };
}
