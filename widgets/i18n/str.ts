/**
 * The `str` tag of @lit/localize's runtime format and the template types, shared by the localisation layer and the
 * translation files (which must not import localize.ts: it loads them). Imported from the tag's own module: the
 * package root would bring @lit/localize's whole runtime, which the kit does not use.
 */
import { isStrTagged, joinStringsAndValues, str, type StrResult } from '@lit/localize/internal/str-tag.js';

export { isStrTagged, joinStringsAndValues, str };
export type Template = string | StrResult;
export type TemplateMap = Record<string, Template>;
