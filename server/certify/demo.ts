/**
 * Certificates for the demo event: the built-in classic template and a results file of the demo
 * runners (as a timing company sends it: BOM, `;`, first and last name, chip time, place), imported
 * through the same service as the admin API, then published. Idempotent: an event that already has a
 * certificate template is left alone.
 */
import type { CertificateRecord } from '../../core/certify.ts';
import { prng } from '../seed/random.ts';
import type { Store } from '../store/types.ts';
import type { CertificateService } from './service.ts';

const FIRST = ['Zoë', 'Léa', 'Jonas', 'Amélie', 'Mateo', 'Inès', 'Lukas', 'Chloé', 'Hugo', 'Sofia', 'Noah', 'Elena'];
const LAST = [
  'Martin',
  'Šťastná',
  'Dubois',
  'Müller',
  'García',
  'Rossi',
  'Bernard',
  "O'Brien",
  'Lefèvre',
  'Nowak',
  'Petit',
  'Weber',
];

/** Results of the demo runners (their BIBs, from `demoRunners()`): one record per BIB, ranked by chip time. */
export function demoResults(bibs: readonly string[]): CertificateRecord[] {
  const r = prng(11);
  const rows = bibs.map((bib, i) => {
    const female = i % 2 === 0;
    const secs = Math.round(r.between(72 * 60, 150 * 60));
    return {
      bib,
      first_name: FIRST[i % FIRST.length]!,
      last_name: LAST[(i * 5) % LAST.length]!,
      category: `${female ? 'F' : 'M'}${r.pick(['20', '35', '40', '45', '50'])}`,
      secs,
    };
  });
  return rows
    .sort((a, b) => a.secs - b.secs)
    .map((x, i) => ({
      bib: x.bib,
      name: `${x.first_name} ${x.last_name}`,
      first_name: x.first_name,
      last_name: x.last_name,
      category: x.category,
      finish_time: `${Math.floor(x.secs / 3600)}:${String(Math.floor(x.secs / 60) % 60).padStart(2, '0')}:${String(x.secs % 60).padStart(2, '0')}`,
      rank: i + 1,
      extra: {},
    }));
}

/** The demo results as the CSV a timing company would send. */
export function demoResultsCsv(bibs: readonly string[]): string {
  const lines = ['\uFEFFBib;First name;Last name;Category;Chip time;Place'];
  for (const x of demoResults(bibs)) lines.push([x.bib, x.first_name, x.last_name, x.category, x.finish_time, x.rank].join(';'));
  return lines.join('\r\n') + '\r\n';
}

/** Template, records and publish for the demo event (once). */
export async function seedDemoCertificates(
  o: { store: Store; certificates: CertificateService },
  eventId: number,
  runners: readonly { bib: string }[],
): Promise<void> {
  const event = await o.store.events.get(eventId);
  if (!event || (await o.store.certificates.getTemplate(eventId))) return;
  const service = o.certificates;
  await service.putTemplate(event, { builtin: 'classic' });
  await service.importRecords(event, demoResultsCsv(runners.map((x) => x.bib)), { format: 'csv' });
  await service.setPublished(event, true);
}
