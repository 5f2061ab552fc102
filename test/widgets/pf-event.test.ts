import { ContextEvent, createContext } from '@lit/context';
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import type { PfEvent } from '../../widgets/pf-event/pf-event.ts';
import type { PfGallery } from '../../widgets/pf-gallery/pf-gallery.ts';
import type { EventContextValue } from '../../widgets/shared/context.ts';
import { registerTranslations } from '../../widgets/i18n/localize.ts';
import { demoEvent, fixtureInfo, makeEvent, shadowFind } from './fixture.ts';

const detailsRequests = () =>
  performance.getEntriesByType('resource').filter((e) => /\/event\/\d+\/details$/.test(new URL(e.name).pathname)).length;

describe('pf-event', () => {
  it('reads the event details once and provides them to every widget inside', async () => {
    performance.clearResourceTimings();
    const root = (await demoEvent(
      html`<pf-bib-search></pf-bib-search><pf-timeline></pf-timeline><pf-gallery></pf-gallery>`,
    )) as PfEvent;
    await waitUntil(() => root.details, 'details never loaded', { timeout: 10000 });
    const { demo } = await fixtureInfo();
    expect(root.details!.event_id).to.equal(demo.event_id);
    expect(root.details!.time_zone).to.equal('Europe/Paris');
    expect(root.feature('bib_search')).to.equal(true);
    await shadowFind(root.querySelector('pf-bib-search')!, '[part=search-input]');
    await shadowFind(root.querySelector('pf-timeline')!, '[part=bar]');
    expect(detailsRequests()).to.equal(1);
  });

  it("answers the community context protocol's requests (a host app's @lit/context), and tells subscribers each change", async () => {
    const root = (await demoEvent(html`<div id="host-app-child"></div>`)) as PfEvent;
    const child = root.querySelector('#host-app-child')!;
    const key = createContext<EventContextValue | undefined>(Symbol.for('photo-finish/pf-event'));
    const values: (EventContextValue | undefined)[] = [];
    let unsubscribe: (() => void) | undefined;
    child.dispatchEvent(
      new ContextEvent(
        key,
        child,
        (v, u) => {
          values.push(v);
          unsubscribe = u;
        },
        true,
      ),
    );
    expect(values.length).to.equal(1);
    expect(values[0]!.client.eventBase).to.match(/\/api\/v1\/ext\/\d+\/event\/\d+$/);
    await waitUntil(() => values.at(-1)?.details, 'the subscriber was not told the details', { timeout: 10000 });
    expect(values.at(-1)!.details!.event_id).to.equal(root.details!.event_id);
    // A one-time request gets the current value once; an unsubscribed callback hears no more.
    let once: EventContextValue | undefined;
    child.dispatchEvent(new ContextEvent(key, child, (v) => (once = v)));
    expect(once).to.equal(root.contextValue);
    unsubscribe!();
    const heard = values.length;
    root.reload();
    await waitUntil(() => root.details, 'details never reloaded', { timeout: 10000 });
    expect(values.length).to.equal(heard);
  });

  it('lets a widget elsewhere on the page join with event-ref', async () => {
    const { url, demo } = await fixtureInfo();
    const page = await fixture<HTMLElement>(
      html`<div>
        <aside><pf-gallery event-ref="race" page-size="6"></pf-gallery></aside>
        <pf-event id="race" api=${url} org=${demo.org_id} event=${demo.event_id} key=${demo.publishable_key}></pf-event>
      </div>`,
    );
    const gallery = page.querySelector<PfGallery>('pf-gallery')!;
    await waitUntil(() => gallery.loadedImages.length >= 6, 'event-ref gallery got no photos', { timeout: 10000 });
    await expect(gallery).to.be.accessible();
  });

  it('hides the widgets whose feature is off with a clear message, and keeps the others', async () => {
    const ev = await makeEvent({ flags: { bib_search: false, timeline_search: false } });
    const root = await demoEvent(html`<pf-bib-search></pf-bib-search><pf-timeline></pf-timeline><pf-gallery></pf-gallery>`, {
      event: ev.event_id,
      key: ev.key,
    });
    const bib = await shadowFind(root.querySelector('pf-bib-search')!, '[part=unavailable]');
    const time = await shadowFind(root.querySelector('pf-timeline')!, '[part=unavailable]');
    expect(bib.textContent).to.equal('Search by BIB number is not available for this event.');
    expect(time.textContent).to.equal('Browsing photos by time is not available for this event.');
    const status = await shadowFind(root.querySelector('pf-gallery')!, '[part=status]');
    await waitUntil(() => status.textContent === 'No photos here yet.', 'empty gallery message');
    await expect(root).to.be.accessible();
  });

  it('retries the event details from a widget after a failure', async () => {
    const root = (await demoEvent(html`<pf-timeline></pf-timeline>`, { key: 'pk_wrong' })) as PfEvent;
    const timeline = root.querySelector('pf-timeline')!;
    const retry = await shadowFind<HTMLButtonElement>(timeline, '[part=retry]');
    const { demo } = await fixtureInfo();
    root.key = demo.publishable_key; // the organiser fixes the key; Try again reads the details again
    await root.updateComplete;
    retry.click();
    await shadowFind(timeline, '[part=bar]', 'bars after retry');
  });

  it('follows the page language, and takes translations another page adds', async () => {
    registerTranslations('de', { 'bib.label': 'Ihre Startnummer' });
    document.documentElement.lang = 'de';
    try {
      const { url, demo } = await fixtureInfo();
      const root = await fixture<HTMLElement>(
        html`<pf-event api=${url} org=${demo.org_id} event=${demo.event_id} key=${demo.publishable_key}
          ><pf-bib-search></pf-bib-search
        ></pf-event>`,
      );
      const search = root.querySelector('pf-bib-search')!;
      const label = await shadowFind(search, 'label');
      expect(label.textContent).to.equal('Ihre Startnummer');
      // Strings German lacks fall back to English.
      expect(search.shadowRoot!.querySelector('[part=search-button]')!.textContent!.trim()).to.equal('Search');
      document.documentElement.lang = 'fr';
      await waitUntil(
        () => label.isConnected && search.shadowRoot!.querySelector('label')!.textContent === 'Votre numéro de dossard',
      );
    } finally {
      document.documentElement.lang = 'en';
    }
  });
});
