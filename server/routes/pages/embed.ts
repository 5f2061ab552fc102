import { z } from 'zod';
import { EventPath } from '../../http/params.ts';
import { createRouter, defineRawRoute } from '../../http/route.ts';
import {
  DEFAULT_EMBED_ELEMENTS,
  EMBED_ELEMENTS,
  EMBED_THEMES,
  embedPage,
  embedTarget,
  type EmbedElement,
} from '../../services/embed.ts';

const ELEMENT_NAMES = Object.keys(EMBED_ELEMENTS) as EmbedElement[];

const EmbedQuery = z.object({
  key: z.string().min(1).max(200).meta({ description: 'a publishable key (pk_…) of the organisation' }),
  elements: z
    .string()
    .max(200)
    .optional()
    .transform((s, ctx) => {
      if (!s) return DEFAULT_EMBED_ELEMENTS;
      const names = [...new Set(s.split(',').map((n) => n.trim()))];
      const unknown = names.filter((n) => !ELEMENT_NAMES.includes(n as EmbedElement));
      if (unknown.length) {
        ctx.addIssue({ code: 'custom', message: `unknown element ${unknown.join(', ')} (use: ${ELEMENT_NAMES.join(', ')})` });
        return z.NEVER;
      }
      return names as EmbedElement[];
    })
    .meta({ description: `comma-separated, in order: ${ELEMENT_NAMES.join(', ')} (default: bib-search,gallery)` }),
  theme: z.enum(EMBED_THEMES).default('auto').meta({ description: 'the kit theme' }),
  lang: z
    .string()
    .regex(/^[a-z]{2}(-[A-Z]{2})?$/)
    .default('en')
    .meta({ description: "the page's language (en, fr)" }),
});

export const embedPageRoute = defineRawRoute({
  method: 'get',
  path: '/embed/{org_id}/{event_id}',
  tag: 'Pages',
  summary: 'Embed page for an iframe',
  description:
    'The widgets of one event as a page of their own, for hosts that allow only an iframe (docs/embedding.md): the kit from this ' +
    "server under a strict Content-Security-Policy, the key checked as the API checks it, `frame-ancestors` set to the key's allowed " +
    'origins (any site when it has none). The page posts its height to the parent (`{ type: "photo-finish:height", height }`) so ' +
    'the host can size the frame. A secret key is refused (400).',
  auth: 'none',
  request: { params: EventPath, query: EmbedQuery },
  raw: { description: 'The embed page (HTML)', type: 'text/html' },
  errors: [400, 403, 404, 422],
});

export const embedPages = createRouter().openapi(embedPageRoute, async (c) => {
  const { org_id, event_id } = c.req.valid('param');
  const q = c.req.valid('query');
  const options = { orgId: org_id, eventId: event_id, key: q.key, elements: q.elements, theme: q.theme, lang: q.lang };
  const target = await embedTarget(c.get('deps'), options);
  const { html, csp } = embedPage(options, target);
  c.header('Content-Security-Policy', csp);
  c.header('Cache-Control', 'no-store');
  c.header('Referrer-Policy', 'strict-origin-when-cross-origin');
  return c.html(html);
});
