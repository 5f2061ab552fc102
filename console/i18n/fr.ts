import type { TemplateMap } from '../../widgets/i18n/localize.ts';
import { str } from '../../widgets/i18n/localize.ts';

/** French strings of the console (ids `console.*`). */
export const consoleFr: TemplateMap = {};
void str;
