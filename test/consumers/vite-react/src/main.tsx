import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
// A plain ES-module import of one element (registers <pf-timeline>, typed through HTMLElementTagNameMap).
import 'photo-finish/pf-timeline';
import type { PfTimeline } from 'photo-finish/pf-timeline';
import { KIT_VERSION } from 'photo-finish';
import 'photo-finish/themes/auto.css';
import { App } from './App.tsx';

// The server, organisation, event and publishable key come from the query string (the test passes them).
const q = new URLSearchParams(location.search);
const config = { api: q.get('api') ?? '', org: Number(q.get('org')), event: Number(q.get('event')), apiKey: q.get('key') ?? '' };

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App {...config} />
  </StrictMode>,
);

const timeline: PfTimeline | null = document.querySelector('pf-timeline');
document.documentElement.dataset.kit = `${KIT_VERSION}${timeline ? '' : ' (no timeline yet)'}`;
