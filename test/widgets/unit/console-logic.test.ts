// The console's DOM-free logic: hash routes, the upload queue (duplicates skipped, parallel limit, resume
// bookkeeping), field nudging in the certificate editor, the embed snippet and the processing state.
import { expect } from '@open-wc/testing';
import type { AdminEvent } from '../../../core/api/admin.ts';
import { nudge } from '../../../console/pages/pfc-certificates.ts';
import { embedSnippet } from '../../../console/pages/snippet.ts';
import {
  enqueue,
  fileKey,
  nextToStart,
  SentFiles,
  totals,
  unfinishedUploads,
  type QueueItem,
} from '../../../console/pages/upload-queue.ts';
import { tabsFor } from '../../../console/pfc-app.ts';
import { parseRoute } from '../../../console/router.ts';
import { processingState } from '../../../console/shared/processing.ts';
import {
  canPay,
  draftTotal,
  emptyDraft,
  nextStep,
  purchaseKinds,
  reachable,
  stepProblem,
} from '../../../console/shared/credits.ts';

class MemoryStorage implements Storage {
  private m = new Map<string, string>();
  get length() {
    return this.m.size;
  }
  clear() {
    this.m.clear();
  }
  getItem(k: string) {
    return this.m.get(k) ?? null;
  }
  key(i: number) {
    return [...this.m.keys()][i] ?? null;
  }
  removeItem(k: string) {
    this.m.delete(k);
  }
  setItem(k: string, v: string) {
    this.m.set(k, v);
  }
}

const file = (name: string, size = 10, lastModified = 1) =>
  new File([new Uint8Array(size)], name, { type: 'image/jpeg', lastModified });

describe('console: routes', () => {
  it('reads the hash routes, the invitation link and event tabs; anything else is not found', () => {
    expect(parseRoute('')).to.deep.equal({ name: 'home' });
    expect(parseRoute('#/')).to.deep.equal({ name: 'home' });
    expect(parseRoute('#/sign-in')).to.deep.equal({ name: 'sign-in' });
    expect(parseRoute('#/invite/abc_DEF-1')).to.deep.equal({ name: 'invite', token: 'abc_DEF-1' });
    expect(parseRoute('#/events')).to.deep.equal({ name: 'events' });
    expect(parseRoute('#/events/')).to.deep.equal({ name: 'events' });
    expect(parseRoute('#/events/new')).to.deep.equal({ name: 'new-event' });
    expect(parseRoute('#/events/12')).to.deep.equal({ name: 'event', eventId: 12, tab: null });
    expect(parseRoute('#/events/12/upload')).to.deep.equal({ name: 'event', eventId: 12, tab: 'upload' });
    expect(parseRoute('#/members')).to.deep.equal({ name: 'members' });
    expect(parseRoute('#/jobs')).to.deep.equal({ name: 'jobs' });
    expect(parseRoute('#/jobs/1')).to.deep.equal({ name: 'not-found', path: '/jobs/1' });
    expect(parseRoute('#/account')).to.deep.equal({ name: 'account' });
    expect(parseRoute('#/events/12/nope').name).to.equal('not-found');
    expect(parseRoute('#/events/-1').name).to.equal('not-found');
    expect(parseRoute('#/events/1.5').name).to.equal('not-found');
    expect(parseRoute('#/whatever').name).to.equal('not-found');
    expect(parseRoute('#/credits')).to.deep.equal({ name: 'credits', tab: 'credits', query: {} });
    expect(parseRoute('#/credits/billing')).to.deep.equal({ name: 'credits', tab: 'billing', query: {} });
    expect(parseRoute('#/credits/buy?payment=12&status=success')).to.deep.equal({
      name: 'credits',
      tab: 'buy',
      query: { payment: '12', status: 'success' },
    });
    expect(parseRoute('#/credits/nope').name).to.equal('not-found');
    expect(parseRoute('#/operator')).to.deep.equal({ name: 'operator' });
  });

  it('shows each role only the event pages it may use', () => {
    expect(tabsFor('owner')).to.deep.equal(['settings', 'upload', 'processing', 'review', 'certificates', 'sales', 'share']);
    expect(tabsFor('admin')).to.deep.equal(tabsFor('owner'));
    expect(tabsFor('photographer')).to.deep.equal(['upload', 'processing']);
    expect(tabsFor('viewer')).to.not.include('settings');
    expect(tabsFor('viewer')).to.not.include('upload');
  });
});

describe('console: upload queue', () => {
  it('skips a file chosen twice and a file already sent from this browser, and says why', () => {
    const storage = new MemoryStorage();
    const sent = new SentFiles(1, 2, storage);
    sent.add(fileKey(file('old.jpg')));
    let id = 0;
    const items = enqueue([], [file('a.jpg'), file('b.jpg'), file('a.jpg'), file('old.jpg')], sent, () => ++id);
    expect(items.map((i) => [i.file.name, i.state, i.skipReason])).to.deep.equal([
      ['a.jpg', 'queued', null],
      ['b.jpg', 'queued', null],
      ['a.jpg', 'skipped', 'selected-twice'],
      ['old.jpg', 'skipped', 'already-sent'],
    ]);
    // The same name with other bytes is another file.
    const more = enqueue(items, [file('a.jpg', 11)], sent, () => ++id);
    expect(more.at(-1)!.state).to.equal('queued');
    // Remembered across page loads (a new SentFiles reads the same storage).
    expect(new SentFiles(1, 2, storage).has(fileKey(file('old.jpg')))).to.equal(true);
    expect(new SentFiles(1, 3, storage).has(fileKey(file('old.jpg')))).to.equal(false);
  });

  it('starts at most `parallel` files, counts bytes and outcomes', () => {
    const sent = new SentFiles(1, 2, new MemoryStorage());
    let id = 0;
    let items: QueueItem[] = enqueue(
      [],
      [1, 2, 3, 4, 5].map((n) => file(`${n}.jpg`, 100)),
      sent,
      () => ++id,
    );
    expect(nextToStart(items, 3).map((i) => i.file.name)).to.deep.equal(['1.jpg', '2.jpg', '3.jpg']);
    items = items.map((i, k) => (k < 2 ? { ...i, state: 'uploading', sent: 50 } : i));
    expect(nextToStart(items, 3).map((i) => i.file.name)).to.deep.equal(['3.jpg']);
    items = items.map((i, k) => (k === 0 ? { ...i, state: 'done' } : k === 4 ? { ...i, state: 'failed' } : i));
    expect(totals(items)).to.deep.equal({ files: 5, done: 1, skipped: 0, failed: 1, bytes: 500, sentBytes: 150 });
  });

  it("lists tus-js-client's unfinished uploads of one endpoint from storage", () => {
    const storage = new MemoryStorage();
    const ep = 'http://x/api/v1/admin/1/events/2/uploads';
    storage.setItem(
      `tus::tus-br-b.jpg-image/jpeg-10-1-${ep}::123`,
      JSON.stringify({ size: 10, metadata: { filename: 'b.jpg' } }),
    );
    storage.setItem(
      `tus::tus-br-a.jpg-image/jpeg-10-1-${ep}::456`,
      JSON.stringify({ size: 10, metadata: { filename: 'a.jpg' } }),
    );
    storage.setItem(`tus::tus-br-c.jpg-image/jpeg-10-1-http://x/api/v1/admin/1/events/3/uploads::1`, '{}');
    storage.setItem('other', '{}');
    expect(unfinishedUploads(ep, storage).map((u) => u.name)).to.deep.equal(['a.jpg', 'b.jpg']);
  });
});

describe('console: certificate editor and share', () => {
  it('moves a field 1 px per arrow key, 10 px with Shift', () => {
    expect(nudge('ArrowLeft', false)).to.deep.equal({ dx: -1, dy: 0 });
    expect(nudge('ArrowDown', true)).to.deep.equal({ dx: 0, dy: 10 });
    expect(nudge('a', false)).to.equal(null);
  });

  it('makes the embed snippet from the event and its switched-on features', () => {
    const event = {
      event_id: 7,
      flags: {
        bib_search: true,
        selfie_search: false,
        timeline_search: true,
        name_search: false,
        video_search: false,
        video_selfie_search: false,
      },
    } as AdminEvent;
    const s = embedSnippet({ origin: 'https://photos.example', org: 3, event, key: 'pk_abc' });
    expect(s).to.contain('<script src="https://photos.example/kit/photo-finish.js" defer></script>');
    expect(s).to.contain('<pf-event api="https://photos.example" org="3" event="7" key="pk_abc">');
    expect(s).to.contain('<pf-bib-search>');
    expect(s).to.contain('<pf-timeline>');
    expect(s).to.not.contain('<pf-selfie-search>');
    expect(s).to.contain('<pf-gallery>');
  });

  it('names the processing state of a report', () => {
    const r = { received: 0, processed: 0, failed: 0, waiting: 0, faces: 0, bibs: 0, failures: [] };
    expect(processingState(r)).to.equal('idle');
    expect(processingState({ ...r, received: 3, waiting: 2 })).to.equal('processing');
    expect(processingState({ ...r, received: 3, processed: 2, failed: 1 })).to.equal('failed');
    expect(processingState({ ...r, received: 3, processed: 3 })).to.equal('done');
  });

  it('walks the purchase flow: Plan → Credits → Review → Payment, with the minimum and the refund policy', () => {
    const rules = { minCredits: 1000, maxCredits: 1_000_000 };
    expect(purchaseKinds(true, true)).to.deep.equal(['pro_subscription', 'credits', 'custom', 'enterprise']);
    expect(purchaseKinds(false, false)).to.deep.equal(['credits', 'enterprise']);
    const d = emptyDraft();
    expect(stepProblem('plan', d, rules)).to.equal('choose-plan');
    expect(reachable('credits', d, rules)).to.equal(false);
    // Enterprise is a contact link, never a payment.
    expect(nextStep('plan', { ...d, kind: 'enterprise' }, rules)).to.equal('plan');
    // Add Credits: 1,000 at least, whole numbers.
    const credits = { ...d, kind: 'credits' as const, credits: 999 };
    expect(nextStep('plan', credits, rules)).to.equal('credits');
    expect(stepProblem('credits', credits, rules)).to.equal('credits-min');
    expect(stepProblem('credits', { ...credits, credits: 0 }, rules)).to.equal('credits-min');
    expect(stepProblem('credits', { ...credits, credits: 1000.5 }, rules)).to.equal('credits-whole');
    expect(stepProblem('credits', { ...credits, credits: 2_000_000 }, rules)).to.equal('credits-max');
    expect(nextStep('credits', { ...credits, credits: 1000 }, rules)).to.equal('review');
    // Pro: 0 extra credits is fine, a few hundred is not.
    const pro = { ...d, kind: 'pro_subscription' as const, credits: 0 };
    expect(stepProblem('credits', pro, rules)).to.equal(null);
    expect(stepProblem('credits', { ...pro, credits: 10 }, rules)).to.equal('credits-min');
    // Custom payment: an amount and what it is for.
    const custom = { ...d, kind: 'custom' as const };
    expect(stepProblem('credits', custom, rules)).to.equal('amount');
    expect(stepProblem('credits', { ...custom, customAmount: 5000 }, rules)).to.equal('note');
    expect(stepProblem('credits', { ...custom, customAmount: 5000, customNote: 'setup' }, rules)).to.equal(null);
    // Review, then Payment: the Refund Policy box must be ticked before the pay button works.
    const ready = { ...credits, credits: 1000 };
    expect(nextStep('review', ready, rules)).to.equal('payment');
    expect(reachable('payment', ready, rules)).to.equal(true);
    expect(stepProblem('payment', ready, rules)).to.equal('refund-policy');
    expect(canPay(ready, rules)).to.equal(false);
    expect(canPay({ ...ready, refundAccepted: true }, rules)).to.equal(true);
    expect(canPay({ ...d, kind: 'enterprise', refundAccepted: true }, rules)).to.equal(false);
    expect(draftTotal(ready, 2, 0)).to.equal(2000);
    expect(draftTotal({ ...pro, credits: 1000 }, 2, 29_900)).to.equal(31_900);
    expect(draftTotal({ ...custom, customAmount: 5000 }, 2, 0)).to.equal(5000);
  });
});
