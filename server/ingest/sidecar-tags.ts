// Bib tags given with a photo (a sidecar CSV, file names, the upload form): accepted as the organiser wrote them.
import { normaliseBib } from '../../core/index.ts';
import type { NewBibTag, Store } from '../store/types.ts';

/** An accepted bib tag from a sidecar. */
export const sidecarTag = (bib: string): NewBibTag => ({
  bib,
  bib_norm: normaliseBib(bib),
  source: 'sidecar',
  status: 'accepted',
  confidence: null,
  box: null,
});

/** Adds the sidecar bibs of a photo already stored (a re-upload with a corrected CSV). */
export async function addSidecarBibs(store: Pick<Store, 'bibs'>, imageId: string, bibs: readonly string[]) {
  for (const bib of bibs) await store.bibs.add(imageId, sidecarTag(bib));
}
