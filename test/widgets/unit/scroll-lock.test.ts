// Unit tests of the page scroll lock the lightbox takes while open (widgets/shared/scroll-lock.ts).
import { expect } from '@open-wc/testing';
import { lockPageScroll } from '../../../widgets/shared/scroll-lock.ts';

const locked = () => getComputedStyle(document.documentElement).overflowY === 'hidden';

describe('lockPageScroll', () => {
  const root = document.documentElement;
  let spacer: HTMLDivElement;
  let sheet: HTMLStyleElement;
  beforeEach(() => {
    spacer = document.body.appendChild(document.createElement('div'));
    spacer.style.height = '5000px';
    // A classic (space-taking) scrollbar, and a theme that asks for it always, as many CMS themes do.
    sheet = document.head.appendChild(document.createElement('style'));
    sheet.textContent = 'html { overflow-y: scroll !important; padding-right: 3px; }';
    scrollTo(0, 300);
  });
  afterEach(() => {
    spacer.remove();
    sheet.remove();
    scrollTo(0, 0);
  });

  it('beats the theme, keeps the scroll position, pads for the scrollbar, and restores it all', () => {
    // Headless Chromium hides scrollbars (0 here); the Firefox run of test/browsers/ checks a real 12 px one.
    const bar = innerWidth - root.clientWidth;
    const width = document.body.getBoundingClientRect().width;
    root.style.setProperty('overflow', 'auto'); // the page's own inline value (beaten by the theme's !important)
    const unlock = lockPageScroll();
    expect(locked()).to.equal(true);
    expect(innerWidth - root.clientWidth).to.equal(0);
    expect(getComputedStyle(root).paddingRight).to.equal(`${3 + bar}px`);
    expect(document.body.getBoundingClientRect().width).to.equal(width); // nothing behind the viewer reflows
    expect(Math.round(scrollY)).to.equal(300);
    unlock();
    expect(locked()).to.equal(false);
    expect(root.style.getPropertyValue('overflow')).to.equal('auto');
    expect(root.style.getPropertyValue('padding-right')).to.equal('');
    expect(innerWidth - root.clientWidth).to.equal(bar);
    expect(Math.round(scrollY)).to.equal(300);
    root.style.removeProperty('overflow');
  });

  it('counts nested locks: the page unlocks with the last one, and a second unlock call does nothing', () => {
    const a = lockPageScroll();
    const b = lockPageScroll();
    a();
    a();
    expect(locked()).to.equal(true);
    b();
    expect(locked()).to.equal(false);
    expect(getComputedStyle(root).overflowY).to.equal('scroll');
  });
});
