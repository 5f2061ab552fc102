/**
 * Draws what the server burns into previews (server/ingest/watermark.ts), on a canvas: the text repeated
 * diagonally (-30°, white at 32 % with a faint outline) and the image a quarter of the width, bottom right.
 */
export function drawWatermark(
  canvas: HTMLCanvasElement,
  opts: {
    text: string;
    image: CanvasImageSource | null;
    imageSize?: { width: number; height: number };
    photo: CanvasImageSource | null;
  },
): void {
  const ctx = canvas.getContext('2d');
  if (!ctx) return;
  const { width, height } = canvas;
  if (opts.photo) ctx.drawImage(opts.photo, 0, 0, width, height);
  else {
    const g = ctx.createLinearGradient(0, 0, width, height);
    g.addColorStop(0, '#5b7fa6');
    g.addColorStop(0.55, '#9bb88a');
    g.addColorStop(1, '#d9a75b');
    ctx.fillStyle = g;
    ctx.fillRect(0, 0, width, height);
  }
  const text = opts.text.trim();
  if (text) {
    const size = Math.max(14, Math.round(width / 28));
    const step = Math.round(size * (0.62 * text.length + 3));
    ctx.save();
    ctx.translate(width / 2, height / 2);
    ctx.rotate((-30 * Math.PI) / 180);
    ctx.translate(-width / 2, -height / 2);
    ctx.font = `bold ${size}px "DejaVu Sans", "Liberation Sans", sans-serif`;
    ctx.fillStyle = 'rgba(255,255,255,0.32)';
    ctx.strokeStyle = 'rgba(0,0,0,0.18)';
    ctx.lineWidth = 1;
    for (let y = -height; y < height * 2; y += size * 5) {
      for (let x = -width; x < width * 2; x += step) {
        ctx.fillText(text, x, y);
        ctx.strokeText(text, x, y);
      }
    }
    ctx.restore();
  }
  if (opts.image && opts.imageSize) {
    const maxW = Math.max(32, Math.round(width / 4));
    const maxH = Math.round(height / 4);
    const scale = Math.min(maxW / opts.imageSize.width, maxH / opts.imageSize.height);
    const w = Math.round(opts.imageSize.width * scale);
    const h = Math.round(opts.imageSize.height * scale);
    const margin = Math.round(width / 40);
    ctx.drawImage(opts.image, Math.max(0, width - w - margin), Math.max(0, height - h - margin), w, h);
  }
}
