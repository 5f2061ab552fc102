import { expect } from '@open-wc/testing';
import { pageSource } from '../../../widgets/api/client.ts';

/** The analytics source the widgets send: the page's `source` parameter, else `referrer` for a link from another site. */
describe('pageSource', () => {
  const url = location.href;
  const setReferrer = (value: string) => Object.defineProperty(document, 'referrer', { value, configurable: true });

  afterEach(() => {
    history.replaceState(null, '', url);
    delete (document as { referrer?: string }).referrer;
  });

  it('is the source parameter when the page has one, whatever the referrer', () => {
    history.replaceState(null, '', '?source=qr');
    setReferrer('https://other.example/posts/1');
    expect(pageSource()).to.equal('qr');
  });

  it('is referrer for a link from another site, null for the same site or none', () => {
    history.replaceState(null, '', '?');
    setReferrer('https://other.example/posts/1');
    expect(pageSource()).to.equal('referrer');
    setReferrer(`${location.origin}/another-page`);
    expect(pageSource()).to.equal(null);
    setReferrer('');
    expect(pageSource()).to.equal(null);
  });
});
