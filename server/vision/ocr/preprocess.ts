/**
 * Detector input for PP-OCRv4 det: resize so the long side hits a target (up- or down-scaling),
 * pad right/bottom to a multiple of 32, and lay the pixels out as a normalised BGR planar tensor.
 */
import sharp from 'sharp';

/** Interleaved 8-bit RGB pixels. */
export interface RgbImage {
  data: Uint8Array;
  width: number;
  height: number;
}

export interface ResizePlan {
  /** Size of the resized picture (before padding). */
  width: number;
  height: number;
  /** Size of the tensor: width/height rounded up to `multiple`. */
  paddedWidth: number;
  paddedHeight: number;
  /** resized / source, per axis (they differ by rounding only). */
  scaleX: number;
  scaleY: number;
}

export interface PlanOptions {
  /** Tensor sides must be a multiple of this (the DB net downsamples by 32). */
  multiple?: number;
}

/** Sizes for resizing `width`×`height` so its long side is `longSide` (aspect kept), then padding. */
export function planResize(width: number, height: number, longSide: number, opts: PlanOptions = {}): ResizePlan {
  const multiple = opts.multiple ?? 32;
  if (!(width > 0 && height > 0)) throw new RangeError(`bad image size ${width}x${height}`);
  if (!(longSide >= multiple)) throw new RangeError(`long side ${longSide} must be at least ${multiple}`);
  const s = longSide / Math.max(width, height);
  const w = Math.max(1, Math.round(width * s));
  const h = Math.max(1, Math.round(height * s));
  const pad = (n: number) => Math.max(multiple, Math.ceil(n / multiple) * multiple);
  return { width: w, height: h, paddedWidth: pad(w), paddedHeight: pad(h), scaleX: w / width, scaleY: h / height };
}

/** ImageNet statistics in the order PaddleOCR applies them to its BGR planes. */
export const DET_MEAN = [0.485, 0.456, 0.406] as const;
export const DET_STD = [0.229, 0.224, 0.225] as const;

/** Per-byte lookup tables of (v/255 − mean)/std for the B, G and R planes: one multiply-add per sample becomes one load. */
const DET_LUT = [0, 1, 2].map((c) => {
  const t = new Float32Array(256);
  for (let v = 0; v < 256; v++) t[v] = (v / 255 - DET_MEAN[c]!) / DET_STD[c]!;
  return t;
}) as [Float32Array, Float32Array, Float32Array];

/**
 * [1,3,paddedHeight,paddedWidth] float32 data: plane 0 = B, 1 = G, 2 = R, each (v/255 − mean)/std.
 * The padding is 0 (the mean colour).
 */
export function detTensorData(img: RgbImage, paddedWidth: number, paddedHeight: number): Float32Array {
  if (paddedWidth < img.width || paddedHeight < img.height) throw new RangeError('padded size smaller than the image');
  return detTensorRows(img, paddedWidth, 0, paddedHeight);
}

/**
 * Rows [`from`, `to`) of `detTensorData(img, paddedWidth, …)` as a [1,3,to−from,paddedWidth] tensor's data, written
 * into `out` when it is given and large enough (every value is written: padding as 0). The text detector runs in
 * strips built this way, never holding the whole input's tensor.
 */
export function detTensorRows(img: RgbImage, paddedWidth: number, from: number, to: number, out?: Float32Array): Float32Array {
  const { data, width, height } = img;
  if (paddedWidth < width) throw new RangeError('padded size smaller than the image');
  if (data.length < width * height * 3) throw new RangeError('pixel buffer too short for an RGB image');
  const rows = to - from;
  const plane = paddedWidth * rows;
  const t = out && out.length >= plane * 3 ? out : new Float32Array(plane * 3);
  const [lb, lg, lr] = DET_LUT;
  for (let y = 0; y < rows; y++) {
    let dst = y * paddedWidth;
    const sy = from + y;
    if (sy < height) {
      let src = sy * width * 3;
      for (let x = 0; x < width; x++, src += 3, dst++) {
        t[dst] = lb[data[src + 2]!]!;
        t[plane + dst] = lg[data[src + 1]!]!;
        t[2 * plane + dst] = lr[data[src]!]!;
      }
    }
    const end = (y + 1) * paddedWidth;
    if (dst < end) for (let c = 0; c < 3; c++) t.fill(0, c * plane + dst, c * plane + end);
  }
  return t;
}

/** Resamples an RGB image with sharp (Lanczos, area-averaging when shrinking). */
export async function resizeRgb(img: RgbImage, width: number, height: number): Promise<RgbImage> {
  if (width === img.width && height === img.height) return img;
  const { data, info } = await sharp(img.data, { raw: { width: img.width, height: img.height, channels: 3 } })
    .resize(width, height, { fit: 'fill', kernel: 'lanczos3' })
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { data: new Uint8Array(data.buffer, data.byteOffset, data.length), width: info.width, height: info.height };
}

export interface DetPicture {
  plan: ResizePlan;
  /** The resized picture (unpadded). */
  resized: RgbImage;
  dims: [1, 3, number, number];
}

/** Resize to `longSide` and plan the padding to /32 (the tensor is built strip by strip: `detTensorRows`). */
export async function prepareDetPicture(img: RgbImage, longSide: number): Promise<DetPicture> {
  const plan = planResize(img.width, img.height, longSide);
  const resized = await resizeRgb(img, plan.width, plan.height);
  return { plan, resized, dims: [1, 3, plan.paddedHeight, plan.paddedWidth] };
}
