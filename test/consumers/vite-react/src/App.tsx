import { useState } from 'react';
import type { PfResultsDetail } from 'photo-finish';
import { PfBibSearch, PfEvent, PfGallery, PfSelfieSearch } from 'photo-finish/react';

export interface AppProps {
  api: string;
  org: number;
  event: number;
  apiKey: string;
}

/** The example of docs/embedding.md: a BIB search and the event's gallery, with typed `onPf…` event props; a selfie search (no option: its worker, runtime and models load from the server). */
export function App({ api, org, event, apiKey }: AppProps) {
  const [found, setFound] = useState<PfResultsDetail | null>(null);
  const [opened, setOpened] = useState(0);
  return (
    <main>
      <h1>Race photos</h1>
      <PfEvent api={api} org={org} event={event} apiKey={apiKey}>
        <PfBibSearch onPfResults={(e) => setFound(e.detail)} />
        <p id="found">{found ? `React saw ${found.total} photos of BIB ${found.query}` : 'No search yet'}</p>
        <h2>Find your photos with a selfie</h2>
        <PfSelfieSearch />
        <h2>Every photo</h2>
        <PfGallery layout="grid" onPfSelect={(e) => setOpened(e.detail.index + 1)} />
        <p id="opened">{opened ? `Opened photo ${opened}` : ''}</p>
      </PfEvent>
    </main>
  );
}
