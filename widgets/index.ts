/** The whole kit: importing this registers every element. */
export { ApiClient, ApiRequestError } from './api/client.ts';
export { PfEvent } from './pf-event/pf-event.ts';
export { PfGallery, type PageLoader } from './pf-gallery/pf-gallery.ts';
