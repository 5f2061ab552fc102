// Written by scripts/write-react.ts (`npm run react-wrappers`) from the element folders: do not edit by hand.
/**
 * `photo-finish/react`: a typed React component for every element, made with @lit/react. Properties are set as
 * properties (objects and arrays too), and every `pf-*` event the element fires is an `onPf…` prop:
 *
 * ```tsx
 * import { PfEvent, PfBibSearch, PfGallery } from 'photo-finish/react';
 * <PfEvent api="https://photos.example.org" org="1" event="7" apiKey="pk_…">
 *   <PfBibSearch onPfResults={(e) => console.log(e.detail.total)} />
 * </PfEvent>
 * ```
 */
import { createComponent, type EventName } from '@lit/react';
import * as React from 'react';
import { PfBibSearch as PfBibSearchElement } from '../pf-bib-search/pf-bib-search.ts';
import { PfCertificate as PfCertificateElement } from '../pf-certificate/pf-certificate.ts';
import { PfCheckoutButton as PfCheckoutButtonElement } from '../pf-checkout-button/pf-checkout-button.ts';
import { PfEvent as PfEventElement } from '../pf-event/pf-event.ts';
import { PfFinder as PfFinderElement } from '../pf-finder/pf-finder.ts';
import { PfGallery as PfGalleryElement } from '../pf-gallery/pf-gallery.ts';
import { PfLightbox as PfLightboxElement } from '../pf-lightbox/pf-lightbox.ts';
import { PfSelfieSearch as PfSelfieSearchElement } from '../pf-selfie-search/pf-selfie-search.ts';
import { PfTimeline as PfTimelineElement } from '../pf-timeline/pf-timeline.ts';
import { PfVideoClips as PfVideoClipsElement } from '../pf-video-clips/pf-video-clips.ts';

type PfEventOf<K extends keyof HTMLElementEventMap> = EventName<HTMLElementEventMap[K]>;

/** `<pf-bib-search>` as a React component. */
export const PfBibSearch = createComponent({
  react: React,
  tagName: 'pf-bib-search',
  elementClass: PfBibSearchElement,
  displayName: 'PfBibSearch',
  events: {
    onPfDownload: 'pf-download' as PfEventOf<'pf-download'>,
    onPfResults: 'pf-results' as PfEventOf<'pf-results'>,
    onPfSearch: 'pf-search' as PfEventOf<'pf-search'>,
  },
});

/** `<pf-certificate>` as a React component. */
export const PfCertificate = createComponent({
  react: React,
  tagName: 'pf-certificate',
  elementClass: PfCertificateElement,
  displayName: 'PfCertificate',
  events: {
    onPfCertificate: 'pf-certificate' as PfEventOf<'pf-certificate'>,
    onPfError: 'pf-error' as PfEventOf<'pf-error'>,
  },
});

/** `<pf-checkout-button>` as a React component. */
export const PfCheckoutButton = createComponent({
  react: React,
  tagName: 'pf-checkout-button',
  elementClass: PfCheckoutButtonElement,
  displayName: 'PfCheckoutButton',
  events: {
    onPfCheckout: 'pf-checkout' as PfEventOf<'pf-checkout'>,
    onPfDownload: 'pf-download' as PfEventOf<'pf-download'>,
    onPfError: 'pf-error' as PfEventOf<'pf-error'>,
  },
});

/** `<pf-event>` as a React component. */
export const PfEvent = createComponent({
  react: React,
  tagName: 'pf-event',
  elementClass: PfEventElement,
  displayName: 'PfEvent',
  events: {
    onPfError: 'pf-error' as PfEventOf<'pf-error'>,
    onPfEventChange: 'pf-event-change' as PfEventOf<'pf-event-change'>,
  },
});

/** `<pf-finder>` as a React component. */
export const PfFinder = createComponent({
  react: React,
  tagName: 'pf-finder',
  elementClass: PfFinderElement,
  displayName: 'PfFinder',
  events: {
    onPfDownload: 'pf-download' as PfEventOf<'pf-download'>,
    onPfResults: 'pf-results' as PfEventOf<'pf-results'>,
    onPfSearch: 'pf-search' as PfEventOf<'pf-search'>,
  },
});

/** `<pf-gallery>` as a React component. */
export const PfGallery = createComponent({
  react: React,
  tagName: 'pf-gallery',
  elementClass: PfGalleryElement,
  displayName: 'PfGallery',
  events: {
    onPfDownload: 'pf-download' as PfEventOf<'pf-download'>,
    onPfError: 'pf-error' as PfEventOf<'pf-error'>,
    onPfHide: 'pf-hide' as PfEventOf<'pf-hide'>,
    onPfResults: 'pf-results' as PfEventOf<'pf-results'>,
    onPfSelect: 'pf-select' as PfEventOf<'pf-select'>,
    onPfSelectionChange: 'pf-selection-change' as PfEventOf<'pf-selection-change'>,
  },
});

/** `<pf-lightbox>` as a React component. */
export const PfLightbox = createComponent({
  react: React,
  tagName: 'pf-lightbox',
  elementClass: PfLightboxElement,
  displayName: 'PfLightbox',
  events: {
    onPfDownload: 'pf-download' as PfEventOf<'pf-download'>,
  },
});

/** `<pf-selfie-search>` as a React component. */
export const PfSelfieSearch = createComponent({
  react: React,
  tagName: 'pf-selfie-search',
  elementClass: PfSelfieSearchElement,
  displayName: 'PfSelfieSearch',
  events: {
    onPfDownload: 'pf-download' as PfEventOf<'pf-download'>,
    onPfError: 'pf-error' as PfEventOf<'pf-error'>,
    onPfHide: 'pf-hide' as PfEventOf<'pf-hide'>,
    onPfResults: 'pf-results' as PfEventOf<'pf-results'>,
    onPfSearch: 'pf-search' as PfEventOf<'pf-search'>,
  },
});

/** `<pf-timeline>` as a React component. */
export const PfTimeline = createComponent({
  react: React,
  tagName: 'pf-timeline',
  elementClass: PfTimelineElement,
  displayName: 'PfTimeline',
  events: {
    onPfError: 'pf-error' as PfEventOf<'pf-error'>,
    onPfResults: 'pf-results' as PfEventOf<'pf-results'>,
    onPfSearch: 'pf-search' as PfEventOf<'pf-search'>,
  },
});

/** `<pf-video-clips>` as a React component. */
export const PfVideoClips = createComponent({
  react: React,
  tagName: 'pf-video-clips',
  elementClass: PfVideoClipsElement,
  displayName: 'PfVideoClips',
  events: {
    onPfClips: 'pf-clips' as PfEventOf<'pf-clips'>,
    onPfError: 'pf-error' as PfEventOf<'pf-error'>,
  },
});
