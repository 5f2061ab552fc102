import { DEFAULT_VIDEO_SETTINGS, type VideoSettings, type VideoSettingsPatch } from '../../core/api/video.ts';
import type { Store } from '../store/types.ts';

/** The event's Motion settings: stored ones, else the defaults. */
export async function videoSettingsOf(store: Store, eventId: number): Promise<VideoSettings> {
  return (await store.videos.settings(eventId)) ?? { ...DEFAULT_VIDEO_SETTINGS };
}

/** Changes only the settings sent; returns them all. */
export async function patchVideoSettings(store: Store, eventId: number, patch: VideoSettingsPatch): Promise<VideoSettings> {
  const next = await videoSettingsOf(store, eventId);
  for (const [k, v] of Object.entries(patch)) if (v !== undefined) (next as Record<string, number>)[k] = v;
  await store.videos.putSettings(eventId, next);
  return next;
}
