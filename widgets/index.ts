/**
 * The whole kit: importing this registers every element (the drop-in script photo-finish.js is this file as
 * one IIFE). For one element only, import its own entry, e.g. `photo-finish/pf-gallery`.
 */
export { ApiClient, ApiRequestError } from './api/client.ts';
// Every endpoint on ApiClient (the ones only some elements call are added by endpoints.ts).
import './api/endpoints.ts';
export * from './events.ts';
export { registerTranslations, type TemplateMap } from './i18n/localize.ts';
export { PfEvent } from './pf-event/pf-event.ts';
export { PfGallery, type PageLoader } from './pf-gallery/pf-gallery.ts';
export { PfCheckoutButton, type PfCheckoutDetail } from './pf-checkout-button/pf-checkout-button.ts';
export { PfLightbox } from './pf-lightbox/pf-lightbox.ts';
export { PfBibSearch } from './pf-bib-search/pf-bib-search.ts';
export { PfTimeline } from './pf-timeline/pf-timeline.ts';
export { PfCertificate, type PfCertificateDetail } from './pf-certificate/pf-certificate.ts';
export { PfSelfieSearch } from './pf-selfie-search/pf-selfie-search.ts';
export { PfVideoClips } from './pf-video-clips/pf-video-clips.ts';
export { PfFinder, type FinderTab } from './pf-finder/pf-finder.ts';
export { KIT_VERSION } from './shared/version.ts';
