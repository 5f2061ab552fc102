import type { TemplateMap } from '../i18n/localize.ts';

/**
 * Translations registered through the drop-in script's `PhotoFinish.registerTranslations` before (or after) the
 * kit's modules load: the loader queues them on this global, widgets/i18n/localize.ts drains the queue when it
 * loads and sets `drain` for later calls.
 */
export const TRANSLATIONS_QUEUE = '__photoFinishTranslations';

export interface TranslationsQueue {
  items: [string, TemplateMap][];
  drain?: () => void;
}
