import exifr from 'exifr';
import { zonedToEpoch } from '../../core/index.ts';

const EXIF_DATE = /^(\d{4}):(\d{2}):(\d{2})[ T](\d{2}):(\d{2}):(\d{2})/;
const OFFSET = /^([+-])(\d{2}):?(\d{2})$/;

/**
 * Capture time from EXIF, in epoch ms, or null. DateTimeOriginal carries no zone: its offset comes from
 * OffsetTimeOriginal when the camera wrote it, else the event's time zone is assumed.
 */
export async function readCaptureTime(data: Buffer, eventTimeZone: string): Promise<number | null> {
  let tags: Record<string, unknown> | undefined;
  try {
    tags = (await exifr.parse(data, {
      pick: ['DateTimeOriginal', 'CreateDate', 'OffsetTimeOriginal', 'OffsetTime', 'SubSecTimeOriginal'],
      reviveValues: false,
    })) as Record<string, unknown> | undefined;
  } catch {
    return null;
  }
  const raw = (tags?.DateTimeOriginal ?? tags?.CreateDate) as string | undefined;
  const m = typeof raw === 'string' ? EXIF_DATE.exec(raw) : null;
  if (!m) return null;
  const [y, mo, d, h, mi, s] = m.slice(1).map(Number) as [number, number, number, number, number, number];
  if (y < 1990 || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 59) return null;
  const sub = typeof tags?.SubSecTimeOriginal === 'string' ? Number(`0.${tags.SubSecTimeOriginal.trim()}`) * 1000 || 0 : 0;
  const off = (tags?.OffsetTimeOriginal ?? tags?.OffsetTime) as string | undefined;
  const om = typeof off === 'string' ? OFFSET.exec(off.trim()) : null;
  if (om) {
    const minutes = (om[1] === '-' ? -1 : 1) * (Number(om[2]) * 60 + Number(om[3]));
    return Date.UTC(y, mo - 1, d, h, mi, s) - minutes * 60_000 + Math.round(sub);
  }
  return zonedToEpoch(y, mo, d, h, mi, s, eventTimeZone) + Math.round(sub);
}
