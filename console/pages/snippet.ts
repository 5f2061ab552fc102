import type { AdminEvent } from '../../core/api/admin.ts';

/** The embed snippet of an event: the theme, the drop-in script and the elements its switched-on features use. */
export function embedSnippet(opts: { origin: string; org: number; event: AdminEvent; key: string }): string {
  const { origin, org, event, key } = opts;
  const f = event.flags;
  const parts = [
    f.bib_search ? '  <pf-bib-search></pf-bib-search>' : null,
    f.selfie_search ? '  <pf-selfie-search></pf-selfie-search>' : null,
    f.timeline_search ? '  <pf-timeline></pf-timeline>' : null,
    '  <pf-gallery></pf-gallery>',
  ].filter(Boolean);
  return [
    `<link rel="stylesheet" href="${origin}/kit/themes/auto.css" />`,
    `<script src="${origin}/kit/photo-finish.js" defer></script>`,
    `<pf-event api="${origin}" org="${org}" event="${event.event_id}" key="${key}">`,
    ...parts,
    '</pf-event>',
  ].join('\n');
}

/** The page the share preview frame shows: the snippet alone in a plain document. */
export function previewDocument(snippet: string, lang: string): string {
  return `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Preview</title></head><body>${snippet}</body></html>`;
}
