import { SEARCH_METHODS, type AnalyticsData } from '../../core/api/analytics.ts';

/**
 * The analytics chart page: plain HTML and an inline SVG drawn on the server (no script, no style attribute, no
 * chart library), so it works under `default-src 'none'`. Bars per day: visits, searches, downloads.
 */

const esc = (s: string) => s.replace(/[<>&"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
const pct = (x: number | null) => (x === null ? '–' : `${Math.round(x * 100)} %`);

const SERIES = [
  { key: 'visits', label: 'Visits', colour: '#1e88e5' },
  { key: 'searches', label: 'Searches', colour: '#43a047' },
  { key: 'downloads', label: 'Downloads', colour: '#fb8c00' },
] as const;

type DayValues = Record<(typeof SERIES)[number]['key'], number>;

function dayValues(d: AnalyticsData['days'][number]): DayValues {
  return {
    visits: d.visits,
    searches: SEARCH_METHODS.reduce((n, m) => n + d.searches[m].searches, 0),
    downloads: d.downloads,
  };
}

export function chartSvg(data: AnalyticsData): string {
  const W = 900;
  const H = 300;
  const left = 44;
  const bottom = 40;
  const top = 16;
  const values = data.days.map(dayValues);
  const max = Math.max(1, ...values.flatMap((v) => SERIES.map((s) => v[s.key])));
  const step = 10 ** Math.floor(Math.log10(max));
  const ceil = Math.ceil(max / step) * step;
  const plotH = H - top - bottom;
  const slot = (W - left - 8) / Math.max(1, values.length);
  const bar = Math.max(1, (slot * 0.8) / SERIES.length);
  const y = (v: number) => top + plotH - (v / ceil) * plotH;
  const parts: string[] = [];
  for (let i = 0; i <= 4; i++) {
    const v = (ceil * i) / 4;
    parts.push(
      `<line x1="${left}" x2="${W - 8}" y1="${y(v).toFixed(1)}" y2="${y(v).toFixed(1)}" stroke="#ddd" stroke-width="1"/>`,
      `<text x="${left - 6}" y="${(y(v) + 4).toFixed(1)}" text-anchor="end" font-size="11" fill="#555">${Math.round(v)}</text>`,
    );
  }
  const labelEvery = Math.max(1, Math.ceil(values.length / 12));
  values.forEach((v, i) => {
    const x0 = left + i * slot + slot * 0.1;
    SERIES.forEach((s, j) => {
      const h = (v[s.key] / ceil) * plotH;
      parts.push(
        `<rect x="${(x0 + j * bar).toFixed(1)}" y="${(top + plotH - h).toFixed(1)}" width="${bar.toFixed(1)}" height="${h.toFixed(1)}" fill="${s.colour}"><title>${esc(data.days[i]!.date)}: ${v[s.key]} ${s.label.toLowerCase()}</title></rect>`,
      );
    });
    if (i % labelEvery === 0)
      parts.push(
        `<text x="${(x0 + slot * 0.4).toFixed(1)}" y="${H - bottom + 16}" text-anchor="middle" font-size="11" fill="#555">${esc(data.days[i]!.date.slice(5))}</text>`,
      );
  });
  SERIES.forEach((s, j) => {
    const x = left + j * 120;
    parts.push(
      `<rect x="${x}" y="${H - 14}" width="12" height="12" fill="${s.colour}"/>`,
      `<text x="${x + 16}" y="${H - 4}" font-size="12" fill="#222">${s.label}</text>`,
    );
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="100%" role="img" aria-label="Visits, searches and downloads per day">${parts.join('')}</svg>`;
}

export const CHART_CSP = "default-src 'none'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'self'";

export function chartPage(eventName: string, data: AnalyticsData): string {
  const t = data.totals;
  const searchRows = SEARCH_METHODS.map(
    (m) =>
      `<tr><th scope="row">${m}</th><td>${t.searches[m].searches}</td><td>${t.searches[m].hits}</td><td>${pct(t.searches[m].hit_rate)}</td></tr>`,
  ).join('');
  const sourceRows = data.sources
    .map((s) => {
      const searches = SEARCH_METHODS.reduce((n, m) => n + s.searches[m].searches, 0);
      return `<tr><th scope="row">${esc(s.source)}</th><td>${s.visits}</td><td>${searches}</td><td>${s.downloads}</td><td>${s.shares}</td></tr>`;
    })
    .join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex"><title>Analytics — ${esc(eventName)}</title></head>
<body>
<h1>${esc(eventName)}</h1>
<p>${esc(data.from)} to ${esc(data.to)} (UTC days). Counted on the server: no cookies, no IP addresses.</p>
${chartSvg(data)}
<h2>Totals</h2>
<table>
<tr><th scope="row">Visits</th><td>${t.visits}</td></tr>
<tr><th scope="row">Downloads</th><td>${t.downloads} (${t.downloaded_photos} photos)</td></tr>
<tr><th scope="row">Shares</th><td>${t.shares}</td></tr>
<tr><th scope="row">Orders</th><td>${t.orders} started, ${t.paid} paid (conversion ${pct(t.conversion)} of visits)</td></tr>
</table>
<h2>Searches</h2>
<table><tr><th scope="col">method</th><th scope="col">searches</th><th scope="col">found photos</th><th scope="col">hit rate</th></tr>${searchRows}</table>
<h2>Sources</h2>
<table><tr><th scope="col">source</th><th scope="col">visits</th><th scope="col">searches</th><th scope="col">downloads</th><th scope="col">shares</th></tr>${sourceRows || '<tr><td colspan="5">nothing counted yet</td></tr>'}</table>
</body></html>`;
}
