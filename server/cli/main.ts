// `photo-finish <command>`: operations on the store (SQLite in DATA_DIR, or PostgreSQL with DATABASE_URL).
import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { AppDeps } from '../deps.ts';
import type { Store } from '../store/types.ts';
import { CliError, EXIT } from './errors.ts';

// Every import beyond these is dynamic, made by the command that needs it: --help and argument errors load
// nothing more; org, key, event and user commands load the config and the store only; the commands that
// ingest, render or read bibs and faces load the whole app (createDeps: sharp, onnxruntime, pdf, fonts, stripe).
const storage = async () => {
  const [{ createDeps }, { loadConfig }] = await Promise.all([import('../bootstrap.ts'), import('../config.ts')]);
  return { createDeps, loadConfig };
};
const keys = () => import('../services/keys.ts');

const USAGE = `photo-finish <command> [options]

Commands:
  org create --name NAME                      create an organisation
  org list                                    list organisations
  key create --org N [--label TEXT]           create a secret key (shown once)
  key create --org N --publishable [--events 1,2] [--origins https://a.example,https://b.example] [--label TEXT]
                                              create a publishable key for embeds, limited to events and origins
  key list --org N                            list keys (first characters + ***)
  key activate|deactivate|delete --org N --id K
  event create --org N --name NAME [--date YYYY-MM-DD[THH:MM]] [--tz Europe/Paris] [--watermark TEXT] [--sold]
                                              create an event (--sold: originals only for buyers)
  event list --org N                          list events
  user create --org N --email E --password P --role owner|admin|photographer|viewer [--name NAME] [--events 1,2]
                                              create a console user (sign in at /console); --events: a
                                              photographer's events
  user list --org N                           list the organisation's console users and their roles
  ingest <folder> --event N [--bibs bibs.csv] [--concurrency N]
                                              ingest every photo under <folder>; re-run to resume
  faces reindex --event N [--missing] [--concurrency N] [--queue]
                                              re-detect and re-embed the faces of the event's photos
                                              (--missing: only photos never indexed, e.g. models were missing;
                                              --queue: as faces.index jobs for the workers, not in this process)
  faces status --event N                      photos, photos with faces indexed, faces
  faces link --event N                        link each face to the bib read below it, again, for every photo
  bibs rerun --event N [--unread] [--concurrency N] [--queue]
                                              read the bibs of the event's photos again (OCR); manual tags
                                              and reviewed reads are kept (--unread: only photos not read yet;
                                              --queue: as bibs.read jobs for the workers, not in this process)
  bibs issued <file.csv> --event N [--append] | bibs issued --clear --event N
                                              the event's issued-bib list (OCR reads outside it are candidates)
  bibs status --event N                       photos read, tagged, candidates, issued list
  certificates import <file.csv> --event N [--replace]
                                              upsert certificate records from a results CSV/JSON (--replace: drop the others)
  plan set --org N --plan unlimited|trial|payg|pro|enterprise [--expires YYYY-MM-DD|none]
           [--cost-per-credit CENTS] [--cost-per-photo K] [--tz ZONE]
                                              set an organisation's plan (docs/credits.md); every plan
                                              but unlimited is metered
  credits grant --org N --credits K [--type admin|free] [--note TEXT]
                                              add credits (Admin Grant or Free Credits); photos waiting
                                              for credits are processed before it returns
  credits show --org N                        plan, balance and the last transactions
  operator create --email E [--password P] [--name NAME]
                                              make a server operator (a new user with --password, or an
                                              existing one): plans, grants, refunds of every organisation
  seed-demo [--faces DIR]                     seed the demo organisation, keys and event (once); --faces pastes
                                              real faces from DIR/<person>/*.jpg on runners (selfie search demo)
  serve                                       serve the API and the kit in production: needs PUBLIC_URL; never seeds
                                              the demo, prints no key, no test gateway (npm start is the demo)
  worker                                      run the background jobs (uploads' ingest, clip searches); with
                                              DATABASE_URL run as many as you like (docs/operations.md)
  jobs status                                 jobs queued, running, done and failed
  jobs failed [--org N] [--limit N]           the dead letters: jobs that failed after their retries
  jobs retry <job-id>|--all [--org N]         put failed jobs back in the queue (one more attempt each)
  migrate                                     apply the database migrations not applied yet, then exit (safe
                                              when several processes start together)
  fetch-models                                download the face and OCR models into MODELS_DIR (default
                                              <package>/models), checked by sha256; a no-op when present

Options: --json prints machine-readable output; --help after a command shows this text.
Environment: DATA_DIR (default ./data), DATABASE_URL (PostgreSQL; default: SQLite in DATA_DIR), PORT (default 8787),
HOST (default 127.0.0.1).
Exit codes: 0 done, 1 failed, 2 bad arguments, 3 ingest finished but some files failed.`;

type Options = NonNullable<ParseArgsConfig['options']>;

type Values = Record<string, string | boolean | undefined>;

function args(argv: string[], options: Options, positionals = 0): { values: Values; positionals: string[] } {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      options: { ...options, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
      allowPositionals: positionals > 0,
      strict: true,
    });
  } catch (e) {
    throw new CliError(EXIT.usage, (e as Error).message);
  }
  if (parsed.values.help) {
    console.log(USAGE);
    process.exit(EXIT.ok);
  }
  if (parsed.positionals.length > positionals)
    throw new CliError(EXIT.usage, `unexpected argument: ${parsed.positionals[positionals]}`);
  return { values: parsed.values as Values, positionals: parsed.positionals };
}

function positiveInt(name: string, v: unknown): number {
  if (v === undefined) throw new CliError(EXIT.usage, `--${name} is required`);
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1)
    throw new CliError(EXIT.usage, `--${name} must be a positive whole number, not "${String(v)}"`);
  return n;
}

function list(v: unknown): string[] {
  return typeof v === 'string'
    ? v
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
    : [];
}

function output(json: boolean, data: unknown, human: string) {
  console.log(json ? JSON.stringify(data, null, 2) : human);
}

async function withDeps<T>(fn: (deps: AppDeps) => Promise<T>): Promise<T> {
  const { createDeps, loadConfig } = await storage();
  const deps = await createDeps(loadConfig(), { serveSite: false, work: false });
  try {
    // A missing bucket or wrong credentials: the reason now, before any work (BlobStoreError).
    await deps.blobs.check();
    return await fn(deps);
  } finally {
    await deps.close();
  }
}

/** The store alone (org, key and event commands): the config and the store (SQLite, or PostgreSQL with DATABASE_URL). */
async function withStore<T>(fn: (store: Store) => Promise<T>): Promise<T> {
  const [{ loadConfig }, { openConfiguredStore }] = await Promise.all([import('../config.ts'), import('../store/open.ts')]);
  const store = await openConfiguredStore(loadConfig());
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

async function requireOrg(store: Store, id: number) {
  const org = await store.orgs.get(id);
  if (!org) throw new CliError(EXIT.failed, `organisation ${id} not found (photo-finish org list shows them)`);
  return org;
}

async function org(sub: string | undefined, argv: string[]) {
  if (sub === 'create') {
    const { values } = args(argv, { name: { type: 'string' } });
    const name = (values.name as string | undefined)?.trim();
    if (!name) throw new CliError(EXIT.usage, '--name is required: photo-finish org create --name "My Running Club"');
    if (name.length > 200) throw new CliError(EXIT.usage, '--name must be at most 200 characters');
    const row = await withStore((s) => s.orgs.create(name));
    return output(!!values.json, row, `organisation ${row.id} created: ${row.name}`);
  }
  if (sub === 'list') {
    const { values } = args(argv, {});
    const rows = await withStore((s) => s.orgs.list());
    return output(!!values.json, rows, rows.length ? rows.map((o) => `${o.id}\t${o.name}`).join('\n') : 'no organisations yet');
  }
  throw new CliError(EXIT.usage, `unknown org command: ${sub ?? '(none)'} (use: org create, org list)`);
}

async function key(sub: string | undefined, argv: string[]) {
  if (sub === 'create') {
    const { values } = args(argv, {
      org: { type: 'string' },
      publishable: { type: 'boolean' },
      events: { type: 'string' },
      origins: { type: 'string' },
      label: { type: 'string' },
    });
    const orgId = positiveInt('org', values.org);
    const publishable = !!values.publishable;
    if (!publishable && (values.events !== undefined || values.origins !== undefined))
      throw new CliError(EXIT.usage, '--events and --origins limit publishable keys only: add --publishable');
    const eventIds = list(values.events).map((e) => positiveInt('events', e));
    const { createApiKey, normaliseOrigin, toKeyItem } = await keys();
    const origins = list(values.origins).map((o) => {
      try {
        return normaliseOrigin(o);
      } catch {
        throw new CliError(EXIT.usage, `--origins: "${o}" is not a web origin such as https://www.example.org`);
      }
    });
    const label = (values.label as string | undefined)?.trim() || null;
    const { key: full, row } = await withStore(async (s) => {
      await requireOrg(s, orgId);
      return createApiKey(s, orgId, {
        kind: publishable ? 'publishable' : 'secret',
        label,
        eventIds: eventIds.length ? eventIds : null,
        origins: origins.length ? origins : null,
      });
    });
    return output(
      !!values.json,
      { ...toKeyItem(row), key: full },
      `${row.kind} key ${row.id} created for organisation ${orgId}. Copy it now, it is not shown again:\n\n  ${full}\n`,
    );
  }
  if (sub === 'list') {
    const { values } = args(argv, { org: { type: 'string' } });
    const orgId = positiveInt('org', values.org);
    const rows = await withStore(async (s) => {
      await requireOrg(s, orgId);
      return s.keys.listForOrg(orgId);
    });
    const { toKeyItem } = await keys();
    const items = rows.map(toKeyItem);
    const human = items.length
      ? items
          .map(
            (k) =>
              `${k.key_id}\t${k.display}\t${k.kind}\t${k.active ? 'active' : 'inactive'}\t${k.label ?? ''}` +
              `${k.event_ids ? `\tevents ${k.event_ids.join(',')}` : ''}${k.origins ? `\torigins ${k.origins.join(',')}` : ''}`,
          )
          .join('\n')
      : 'no keys';
    return output(!!values.json, items, human);
  }
  if (sub === 'activate' || sub === 'deactivate' || sub === 'delete') {
    const { values } = args(argv, { org: { type: 'string' }, id: { type: 'string' } });
    const orgId = positiveInt('org', values.org);
    const id = positiveInt('id', values.id);
    const done = await withStore(async (s) => {
      await requireOrg(s, orgId);
      return sub === 'delete' ? s.keys.delete(orgId, id) : s.keys.setActive(orgId, id, sub === 'activate');
    });
    if (!done) throw new CliError(EXIT.failed, `key ${id} not found in organisation ${orgId}`);
    return output(!!values.json, { key_id: id, action: sub }, `key ${id} ${sub === 'delete' ? 'deleted' : `${sub}d`}`);
  }
  throw new CliError(
    EXIT.usage,
    `unknown key command: ${sub ?? '(none)'} (use: key create, key list, key activate|deactivate|delete)`,
  );
}

async function event(sub: string | undefined, argv: string[]) {
  if (sub === 'create') {
    const { values } = args(argv, {
      org: { type: 'string' },
      name: { type: 'string' },
      date: { type: 'string' },
      tz: { type: 'string' },
      watermark: { type: 'string' },
      sold: { type: 'boolean' },
    });
    const orgId = positiveInt('org', values.org);
    const [{ CreateEventRequest }, { flattenIssues }] = await Promise.all([
      import('../../core/api/admin.ts'),
      import('../../core/index.ts'),
    ]);
    const parsed = CreateEventRequest.safeParse({
      name: values.name ?? '',
      ...(values.date !== undefined ? { event_date: values.date } : {}),
      ...(values.tz !== undefined ? { time_zone: values.tz } : {}),
      ...(values.watermark !== undefined ? { watermark_text: values.watermark } : {}),
      ...(values.sold ? { free_downloads: false } : {}),
    });
    if (!parsed.success) {
      const rename: Record<string, string> = {
        name: '--name',
        event_date: '--date',
        time_zone: '--tz',
        watermark_text: '--watermark',
      };
      const issues = parsed.error.issues.map((i) => ({ ...i, path: i.path.map((p) => rename[String(p)] ?? p) }));
      throw new CliError(EXIT.usage, flattenIssues(issues));
    }
    const row = await withStore(async (s) => {
      await requireOrg(s, orgId);
      return s.events.create(orgId, { ...parsed.data, slug: undefined, flags: undefined });
    });
    return output(
      !!values.json,
      row,
      `event ${row.id} created: ${row.name}${row.event_date ? ` on ${row.event_date}` : ''} (${row.time_zone})` +
        `${row.free_downloads ? '' : ', originals sold'}\ningest photos with: photo-finish ingest <folder> --event ${row.id}`,
    );
  }
  if (sub === 'list') {
    const { values } = args(argv, { org: { type: 'string' } });
    const orgId = positiveInt('org', values.org);
    const rows = await withStore(async (s) => {
      await requireOrg(s, orgId);
      const { items } = await s.events.listForOrg(orgId, { offset: 0, limit: 10_000 });
      return Promise.all(items.map(async (e) => ({ ...e, image_count: await s.images.count(e.id) })));
    });
    const human = rows.length
      ? rows.map((e) => `${e.id}\t${e.name}\t${e.event_date ?? '-'}\t${e.time_zone}\t${e.image_count} photos`).join('\n')
      : 'no events';
    return output(!!values.json, rows, human);
  }
  throw new CliError(EXIT.usage, `unknown event command: ${sub ?? '(none)'} (use: event create, event list)`);
}

async function user(sub: string | undefined, argv: string[]) {
  if (sub === 'create') {
    const { values } = args(argv, {
      org: { type: 'string' },
      email: { type: 'string' },
      password: { type: 'string' },
      role: { type: 'string' },
      name: { type: 'string' },
      events: { type: 'string' },
    });
    const orgId = positiveInt('org', values.org);
    const [{ Email, Password, PersonName, Role, ROLES }, { flattenIssues }] = await Promise.all([
      import('../../core/api/auth.ts'),
      import('../../core/index.ts'),
    ]);
    const { z } = await import('zod');
    const parsed = z.object({ '--email': Email, '--password': Password, '--role': Role, '--name': PersonName }).safeParse({
      '--email': values.email ?? '',
      '--password': values.password ?? '',
      '--role': values.role ?? '',
      '--name': values.name ?? '',
    });
    if (!parsed.success) {
      const message = flattenIssues(parsed.error.issues).replace(/--role: [^;]*/, `--role: must be one of ${ROLES.join(', ')}`);
      throw new CliError(EXIT.usage, message);
    }
    const eventIds = list(values.events).map((e) => positiveInt('events', e));
    if (eventIds.length && parsed.data['--role'] !== 'photographer')
      throw new CliError(EXIT.usage, '--events limits photographers only: add --role photographer');
    const [{ AuthService }, { createLogger }] = await Promise.all([import('../auth/service.ts'), import('../log.ts')]);
    const created = await withStore(async (s) => {
      await requireOrg(s, orgId);
      const auth = new AuthService({ store: s, log: createLogger('silent') });
      return auth.createUser({
        orgId,
        email: parsed.data['--email'],
        password: parsed.data['--password'],
        name: parsed.data['--name'],
        role: parsed.data['--role'],
        eventIds: eventIds.length ? eventIds : null,
      });
    });
    const { user: u, membership: m } = created;
    return output(
      !!values.json,
      { user_id: u.id, email: u.email, name: u.name, org_id: m.org_id, role: m.role, event_ids: m.event_ids },
      `user ${u.id} created: ${u.email}, ${m.role} of organisation ${orgId}. Sign in at /console with this email and password.`,
    );
  }
  if (sub === 'list') {
    const { values } = args(argv, { org: { type: 'string' } });
    const orgId = positiveInt('org', values.org);
    const rows = await withStore(async (s) => {
      await requireOrg(s, orgId);
      return s.auth.listMembers(orgId);
    });
    const items = rows.map((m) => ({ user_id: m.user_id, email: m.email, name: m.name, role: m.role, event_ids: m.event_ids }));
    const human = items.length
      ? items
          .map((m) => `${m.user_id}\t${m.email}\t${m.role}${m.event_ids ? `\tevents ${m.event_ids.join(',')}` : ''}`)
          .join('\n')
      : 'no users';
    return output(!!values.json, items, human);
  }
  throw new CliError(EXIT.usage, `unknown user command: ${sub ?? '(none)'} (use: user create, user list)`);
}

async function ingest(argv: string[]) {
  const { values, positionals } = args(
    argv,
    { event: { type: 'string' }, bibs: { type: 'string' }, concurrency: { type: 'string' } },
    1,
  );
  const folder = positionals[0];
  if (!folder) throw new CliError(EXIT.usage, 'the folder is required: photo-finish ingest <folder> --event N');
  const eventId = positiveInt('event', values.event);
  const concurrency = values.concurrency === undefined ? undefined : positiveInt('concurrency', values.concurrency);
  const { runIngest } = await import('./ingest.ts');
  const code = await withDeps((d) =>
    runIngest(d, { folder, eventId, bibs: values.bibs as string | undefined, concurrency, json: !!values.json }),
  );
  process.exitCode = code;
}

async function faces(sub: string | undefined, argv: string[]) {
  if (sub !== 'reindex' && sub !== 'status' && sub !== 'link')
    throw new CliError(EXIT.usage, 'use: photo-finish faces reindex|status|link --event N');
  const extra: Options =
    sub === 'reindex' ? { missing: { type: 'boolean' }, concurrency: { type: 'string' }, queue: { type: 'boolean' } } : {};
  const { values } = args(argv, { event: { type: 'string' }, ...extra });
  const eventId = positiveInt('event', values.event);
  const json = !!values.json;
  const concurrency = values.concurrency === undefined ? undefined : positiveInt('concurrency', values.concurrency);
  const { runFacesLink, runFacesReindex, runFacesStatus } = await import('./faces.ts');
  process.exitCode = await withDeps((d) =>
    sub === 'status'
      ? runFacesStatus(d, { eventId, json })
      : sub === 'link'
        ? runFacesLink(d, { eventId, json })
        : runFacesReindex(d, { eventId, missing: !!values.missing, concurrency, json, queue: !!values.queue }),
  );
}

async function bibs(sub: string | undefined, argv: string[]) {
  const { runBibsIssued, runBibsRerun, runBibsStatus } = await import('./bibs.ts');
  if (sub === 'rerun') {
    const { values } = args(argv, {
      event: { type: 'string' },
      unread: { type: 'boolean' },
      concurrency: { type: 'string' },
      queue: { type: 'boolean' },
    });
    const eventId = positiveInt('event', values.event);
    const concurrency = values.concurrency === undefined ? undefined : positiveInt('concurrency', values.concurrency);
    process.exitCode = await withDeps((d) =>
      runBibsRerun(d, { eventId, unread: !!values.unread, concurrency, json: !!values.json, queue: !!values.queue }),
    );
    return;
  }
  if (sub === 'issued') {
    const { values, positionals } = args(
      argv,
      { event: { type: 'string' }, append: { type: 'boolean' }, clear: { type: 'boolean' } },
      1,
    );
    const file = positionals[0] ?? null;
    if (!file && !values.clear)
      throw new CliError(EXIT.usage, 'the file is required: photo-finish bibs issued <file.csv> --event N (or --clear)');
    if (file && values.clear) throw new CliError(EXIT.usage, '--clear takes no file');
    const eventId = positiveInt('event', values.event);
    process.exitCode = await withDeps((d) =>
      runBibsIssued(d, { eventId, file, append: !!values.append, clear: !!values.clear, json: !!values.json }),
    );
    return;
  }
  if (sub === 'status') {
    const { values } = args(argv, { event: { type: 'string' } });
    const eventId = positiveInt('event', values.event);
    process.exitCode = await withDeps((d) => runBibsStatus(d, { eventId, json: !!values.json }));
    return;
  }
  throw new CliError(EXIT.usage, `unknown bibs command: ${sub ?? '(none)'} (use: bibs rerun, bibs issued, bibs status)`);
}

async function certificates(sub: string | undefined, argv: string[]) {
  if (sub !== 'import') throw new CliError(EXIT.usage, 'use: photo-finish certificates import <file.csv> --event N [--replace]');
  const { values, positionals } = args(argv, { event: { type: 'string' }, replace: { type: 'boolean' } }, 1);
  const file = positionals[0];
  if (!file) throw new CliError(EXIT.usage, 'the file is required: photo-finish certificates import <file.csv> --event N');
  const eventId = positiveInt('event', values.event);
  const { runCertificatesImport } = await import('./certificates.ts');
  process.exitCode = await withDeps((d) =>
    runCertificatesImport(d, { file, eventId, replace: !!values.replace, json: !!values.json }),
  );
}

async function jobs(sub: string | undefined, argv: string[]) {
  if (sub === 'status') {
    const { values } = args(argv, {});
    const counts = await withDeps((d) => d.jobs.counts());
    return output(
      !!values.json,
      counts,
      `queued ${counts.queued}\nrunning ${counts.active}\ndone ${counts.done}\nfailed ${counts.failed}`,
    );
  }
  if (sub === 'failed') {
    const { values } = args(argv, { org: { type: 'string' }, limit: { type: 'string' } });
    const orgId = values.org === undefined ? undefined : positiveInt('org', values.org);
    const limit = values.limit === undefined ? 100 : positiveInt('limit', values.limit);
    const rows = await withDeps((d) => d.jobs.failed({ ...(orgId ? { orgId } : {}), limit }));
    const human = rows.length
      ? rows
          .map(
            (j) =>
              `${j.id}\t${j.kind}\t${j.org_id === null ? '-' : `org ${j.org_id}`}\t${j.event_id === null ? '-' : `event ${j.event_id}`}` +
              `\t${j.attempts} attempts\t${j.updated_at}\t${j.error ?? ''}`,
          )
          .join('\n')
      : 'no failed jobs';
    return output(!!values.json, rows, human);
  }
  if (sub === 'retry') {
    const { values, positionals } = args(argv, { all: { type: 'boolean' }, org: { type: 'string' } }, 1);
    const id = positionals[0];
    if (!id && !values.all) throw new CliError(EXIT.usage, 'the job id is required: photo-finish jobs retry <job-id> (or --all)');
    if (id && values.all) throw new CliError(EXIT.usage, '--all takes no job id');
    const orgId = values.org === undefined ? undefined : positiveInt('org', values.org);
    const scope = orgId ? { orgId } : {};
    const retried = await withDeps(async (d) => {
      const ids = id ? [id] : (await d.jobs.failed({ ...scope, limit: 100_000 })).map((j) => j.id);
      const done: string[] = [];
      for (const j of ids) if (await d.jobs.retry(j, scope)) done.push(j);
      return done;
    });
    if (id && retried.length === 0)
      throw new CliError(EXIT.failed, `job ${id} is not a failed job (photo-finish jobs failed lists them)`);
    return output(!!values.json, { retried }, `${retried.length} job${retried.length === 1 ? '' : 's'} queued again`);
  }
  throw new CliError(EXIT.usage, `unknown jobs command: ${sub ?? '(none)'} (use: jobs status, jobs failed, jobs retry)`);
}

async function credits(command: 'plan' | 'credits' | 'operator', sub: string | undefined, argv: string[]) {
  const cli = await import('./credits.ts');
  if (command === 'plan' && sub === 'set') {
    const { values } = args(argv, {
      org: { type: 'string' },
      plan: { type: 'string' },
      expires: { type: 'string' },
      'cost-per-credit': { type: 'string' },
      'cost-per-photo': { type: 'string' },
      tz: { type: 'string' },
    });
    const orgId = positiveInt('org', values.org);
    const opt = (k: string) => (typeof values[k] === 'string' ? { [k]: values[k] } : {});
    const o = {
      orgId,
      json: !!values.json,
      ...(opt('plan') as { plan?: string }),
      ...(opt('expires') as { expires?: string }),
      ...(typeof values['cost-per-credit'] === 'string' ? { costPerCredit: values['cost-per-credit'] } : {}),
      ...(typeof values['cost-per-photo'] === 'string' ? { costPerPhoto: values['cost-per-photo'] } : {}),
      ...(typeof values.tz === 'string' ? { timeZone: values.tz } : {}),
    };
    return withDeps((deps) => cli.runPlanSet(deps, o));
  }
  if (command === 'credits' && sub === 'grant') {
    const { values } = args(argv, {
      org: { type: 'string' },
      credits: { type: 'string' },
      type: { type: 'string' },
      note: { type: 'string' },
    });
    const orgId = positiveInt('org', values.org);
    if (typeof values.credits !== 'string') throw new CliError(EXIT.usage, '--credits is required');
    const o = {
      orgId,
      credits: values.credits,
      json: !!values.json,
      ...(typeof values.type === 'string' ? { type: values.type } : {}),
      ...(typeof values.note === 'string' ? { note: values.note } : {}),
    };
    return withDeps((deps) => cli.runCreditsGrant(deps, o));
  }
  if (command === 'credits' && sub === 'show') {
    const { values } = args(argv, { org: { type: 'string' } });
    const orgId = positiveInt('org', values.org);
    return withDeps(async (deps) => {
      await requireOrg(deps.store, orgId);
      return cli.runCreditsShow(deps, { orgId, json: !!values.json });
    });
  }
  if (command === 'operator' && sub === 'create') {
    const { values } = args(argv, { email: { type: 'string' }, password: { type: 'string' }, name: { type: 'string' } });
    if (typeof values.email !== 'string') throw new CliError(EXIT.usage, '--email is required');
    const o = {
      email: values.email,
      json: !!values.json,
      ...(typeof values.password === 'string' ? { password: values.password } : {}),
      ...(typeof values.name === 'string' ? { name: values.name } : {}),
    };
    return withStore((s) => cli.runOperatorCreate(s, o));
  }
  const use = { plan: 'plan set', credits: 'credits grant, credits show', operator: 'operator create' }[command];
  throw new CliError(EXIT.usage, `unknown ${command} command: ${sub ?? '(none)'} (use: ${use})`);
}

async function main(argv: string[]) {
  const [command, ...rest] = argv;
  switch (command) {
    case 'org':
      return org(rest[0], rest.slice(1));
    case 'key':
      return key(rest[0], rest.slice(1));
    case 'event':
      return event(rest[0], rest.slice(1));
    case 'user':
      return user(rest[0], rest.slice(1));
    case 'ingest':
      return ingest(rest);
    case 'serve': {
      args(rest, {});
      const { runServer } = await import('../run.ts');
      await runServer('production');
      return;
    }
    case 'worker': {
      args(rest, {});
      const { runWorker } = await import('../worker.ts');
      await runWorker();
      return;
    }
    case 'jobs':
      return jobs(rest[0], rest.slice(1));
    case 'migrate': {
      const { values } = args(rest, {});
      const [{ loadConfig }, { migrateConfiguredStore }] = await Promise.all([
        import('../config.ts'),
        import('../store/open.ts'),
      ]);
      const r = await migrateConfiguredStore(loadConfig());
      const what = r.applied.length ? `applied ${r.applied.join(', ')}` : 'nothing to apply: the schema is up to date';
      return output(!!values.json, r, `${r.engine}: ${what}`);
    }
    case 'fetch-models':
      args(rest, {});
      await import('../../scripts/fetch-models.ts');
      return;
    case 'faces':
      return faces(rest[0], rest.slice(1));
    case 'certificates':
      return certificates(rest[0], rest.slice(1));
    case 'bibs':
      return bibs(rest[0], rest.slice(1));
    case 'plan':
    case 'credits':
    case 'operator':
      return credits(command, rest[0], rest.slice(1));
    case 'seed-demo': {
      const { values } = args(rest, { faces: { type: 'string' } });
      const { createDeps, loadConfig } = await storage();
      const { demoFacesNote, seedDemo } = await import('../seed/demo.ts');
      const config = loadConfig();
      const deps = await createDeps(config, { serveSite: false, work: false });
      try {
        await deps.blobs.check();
        const seed = {
          store: deps.store,
          blobs: deps.blobs,
          certificates: deps.certificates,
          dataDir: config.dataDir,
          baseUrl: `http://${config.host}:${config.port}`,
          faces: deps.faces,
          video: deps.video,
          bibtrack: deps.bibtrack,
          facePhotos: (values.faces as string | undefined) ?? config.demo.faces,
        };
        const { info, created, bibs } = await seedDemo(seed);
        if (bibs && !values.json)
          console.error(`demo bibs read by OCR: ${bibs.read} of ${bibs.shown} (${bibs.wrong} wrong reads)`);
        // What --faces did or did not do (on stderr: stdout stays the demo's details, JSON with --json).
        const facesNote = demoFacesNote(seed, { created, info });
        if (facesNote) console.error(facesNote);
        output(!!values.json, info, `${created ? 'demo seeded' : 'demo already seeded'}:\n${JSON.stringify(info, null, 2)}`);
      } finally {
        await deps.close();
      }
      return;
    }
    case undefined:
    case '--help':
    case '-h':
    case 'help':
      console.log(USAGE);
      return;
    default:
      throw new CliError(EXIT.usage, `unknown command: ${command}`);
  }
}

try {
  await main(process.argv.slice(2));
} catch (e) {
  if (e instanceof CliError) {
    console.error(`photo-finish: ${e.message}`);
    if (e.code === EXIT.usage) console.error('run `photo-finish --help` for the commands and options');
    process.exitCode = e.code;
  } else {
    // ApiError from a service (e.g. the key limit) and a bad setting (ConfigError) are clear messages too;
    // anything else is a bug.
    const err = e as Error & { status?: number };
    const clear = err.status || err.name === 'ConfigError' || err.name === 'BlobStoreError';
    console.error(`photo-finish: ${clear ? err.message : (err.stack ?? String(err))}`);
    process.exitCode = EXIT.failed;
  }
}
