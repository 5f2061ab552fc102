// Telling a video from a photo, without loading the video ingest (it reaches the photo pipeline and sharp): the
// upload queue and the admin upload check every file with it.
export const VIDEO_EXTENSIONS = ['mp4', 'm4v', 'mov', 'webm'] as const;
const VIDEO_NAME = /\.(mp4|m4v|mov|webm)$/i;

/** By name, or by content: an ISO-BMFF `ftyp` box (MP4/MOV) or an EBML header (WebM). */
export function looksLikeVideo(name: string, head?: Uint8Array): boolean {
  if (VIDEO_NAME.test(name)) return true;
  if (!head || head.length < 12) return false;
  const ftyp = head[4] === 0x66 && head[5] === 0x74 && head[6] === 0x79 && head[7] === 0x70;
  const brand = String.fromCharCode(...head.subarray(8, 12));
  // HEIF/AVIF photos are ISO-BMFF too: those stay photos.
  if (ftyp && !/^(heic|heix|mif1|msf1|avif|avis|hevc)/.test(brand)) return true;
  return head[0] === 0x1a && head[1] === 0x45 && head[2] === 0xdf && head[3] === 0xa3;
}
