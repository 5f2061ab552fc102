/**
 * French strings, one file per area, merged here. Another element adds its area by creating
 * `widgets/i18n/fr/<area>.ts` (ids prefixed with the area: `checkout.pay`) and spreading it below.
 */
import type { TemplateMap } from '../str.ts';
import { bibSearch } from './bib-search.ts';
import { certificate } from './certificate.ts';
import { checkout } from './checkout.ts';
import { common } from './common.ts';
import { event } from './event.ts';
import { finder } from './finder.ts';
import { gallery } from './gallery.ts';
import { selfie } from './selfie.ts';
import { timeline } from './timeline.ts';
import { video } from './video.ts';

export const templates: TemplateMap = {
  ...common,
  ...gallery,
  ...bibSearch,
  ...checkout,
  ...timeline,
  ...selfie,
  ...certificate,
  ...video,
  ...event,
  ...finder,
};
