/**
 * Grey page images for OCR, and the one clean-up that matters for tables: erasing the ruling
 * lines. Tesseract reads cell borders as "|", "一" or "l" and glues neighbouring cells into one
 * word; with the borders gone the cells are separate words again.
 * Formats: binary PGM (what pdftoppm -gray writes) and 8-bit PNG (decoded here with zlib).
 */
import { inflateSync } from 'node:zlib';

export interface GreyImage {
  width: number;
  height: number;
  /** one byte per pixel, 0 = black */
  data: Uint8Array;
}

export function parsePgm(bytes: Uint8Array): GreyImage | null {
  const header = new TextDecoder('latin1').decode(bytes.subarray(0, 64));
  const m = /^P5\s+(?:#.*\s+)*(\d+)\s+(\d+)\s+(\d+)\s/.exec(header);
  if (!m || Number(m[3]) !== 255) return null;
  const width = Number(m[1]);
  const height = Number(m[2]);
  const data = bytes.subarray(m[0].length, m[0].length + width * height);
  return data.length === width * height ? { width, height, data } : null;
}

export function toPgm(image: GreyImage): Uint8Array {
  const header = new TextEncoder().encode(`P5\n${image.width} ${image.height}\n255\n`);
  const out = new Uint8Array(header.length + image.data.length);
  out.set(header);
  out.set(image.data, header.length);
  return out;
}

const CHANNELS: Record<number, number> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };

/** An 8-bit, non-interlaced PNG as grey pixels; null for anything else (left to tesseract as is). */
export function decodePng(bytes: Uint8Array, maxPixels = 60_000_000): GreyImage | null {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let p = 8;
  let width = 0;
  let height = 0;
  let colorType = 0;
  let palette: Uint8Array | undefined;
  const idat: Uint8Array[] = [];
  while (p + 8 <= bytes.length) {
    const length = view.getUint32(p);
    const type = new TextDecoder('latin1').decode(bytes.subarray(p + 4, p + 8));
    const body = bytes.subarray(p + 8, p + 8 + length);
    if (type === 'IHDR') {
      width = view.getUint32(p + 8);
      height = view.getUint32(p + 12);
      const depth = body[8]!;
      colorType = body[9]!;
      if (depth !== 8 || body[12] !== 0 || !(colorType in CHANNELS) || width * height > maxPixels) return null;
    } else if (type === 'PLTE') palette = body;
    else if (type === 'IDAT') idat.push(body);
    else if (type === 'IEND') break;
    p += 12 + length;
  }
  const channels = CHANNELS[colorType];
  if (!width || !height || !channels || (colorType === 3 && !palette)) return null;
  let raw: Buffer;
  try {
    raw = inflateSync(Buffer.concat(idat), { maxOutputLength: (width * channels + 1) * height });
  } catch {
    return null;
  }
  const stride = width * channels;
  const current = new Uint8Array(stride);
  const previous = new Uint8Array(stride);
  const data = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)]!;
    const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    for (let i = 0; i < stride; i++) {
      const a = i >= channels ? current[i - channels]! : 0;
      const b = previous[i]!;
      const c = i >= channels ? previous[i - channels]! : 0;
      let v = line[i]!;
      if (filter === 1) v += a;
      else if (filter === 2) v += b;
      else if (filter === 3) v += (a + b) >> 1;
      else if (filter === 4) {
        const pa = Math.abs(b - c);
        const pb = Math.abs(a - c);
        const pc = Math.abs(a + b - 2 * c);
        v += pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
      }
      current[i] = v & 0xff;
    }
    for (let x = 0; x < width; x++) {
      const o = x * channels;
      let grey: number;
      if (colorType === 3) {
        const k = current[o]! * 3;
        grey = (palette![k]! * 299 + palette![k + 1]! * 587 + palette![k + 2]! * 114) / 1000;
      } else if (channels >= 3) grey = (current[o]! * 299 + current[o + 1]! * 587 + current[o + 2]! * 114) / 1000;
      else grey = current[o]!;
      // transparent pixels are paper
      const alpha = colorType === 4 ? current[o + 1]! : colorType === 6 ? current[o + 3]! : 255;
      data[y * width + x] = Math.round(255 - ((255 - grey) * alpha) / 255);
    }
    previous.set(current);
  }
  return { width, height, data };
}

/**
 * Erases straight dark runs longer than a third of an inch (at 300 dpi; scaled by the page
 * size otherwise): table rules. Character strokes are much shorter and survive.
 */
export function eraseRules(image: GreyImage, dark = 160): GreyImage {
  const { width, height } = image;
  const data = new Uint8Array(image.data);
  const minH = Math.max(40, Math.round(width / 25));
  const minV = Math.max(40, Math.round(height / 35));
  const erase: number[] = [];
  for (let y = 0; y < height; y++) {
    let run = 0;
    for (let x = 0; x <= width; x++) {
      if (x < width && image.data[y * width + x]! < dark) run++;
      else {
        if (run >= minH) for (let k = x - run; k < x; k++) erase.push(y * width + k);
        run = 0;
      }
    }
  }
  for (let x = 0; x < width; x++) {
    let run = 0;
    for (let y = 0; y <= height; y++) {
      if (y < height && image.data[y * width + x]! < dark) run++;
      else {
        if (run >= minV) for (let k = y - run; k < y; k++) erase.push(k * width + x);
        run = 0;
      }
    }
  }
  // the anti-aliased edge of a rule is grey, not dark: clear the pixels beside it too
  for (const i of erase) {
    data[i] = 255;
    for (const j of [i - 1, i + 1, i - width, i + width]) if (j >= 0 && j < data.length && image.data[j]! < 235) data[j] = 255;
  }
  return { width, height, data };
}

/**
 * Straightens a photographed or badly scanned page: the skew angle (within ±3°) is the one at
 * which dark pixels line up in the fewest, fullest rows (text lines and table rules), measured
 * on a quarter-size copy. Ruled tables need this: a rule tilted by a third of a degree already
 * climbs a whole row height across the page.
 */
export function deskew(image: GreyImage, dark = 160): GreyImage {
  const { width, height, data } = image;
  const step = 4;
  const points: [number, number][] = [];
  for (let y = 0; y < height; y += step) for (let x = 0; x < width; x += step) if (data[y * width + x]! < dark) points.push([x, y]);
  if (points.length < 100) return image;
  const score = (deg: number): number => {
    const t = Math.tan((deg * Math.PI) / 180);
    const bins = new Float64Array(Math.ceil(height / step) + Math.ceil((width * 0.06) / step) * 2 + 2);
    const off = Math.ceil((width * 0.06) / step) + 1;
    for (const [x, y] of points) bins[Math.floor((y - x * t) / step) + off]! += 1;
    let s = 0;
    for (const b of bins) s += b * b;
    return s;
  };
  let best = 0;
  let bestScore = score(0);
  for (let deg = -3; deg <= 3.0001; deg += 0.05) {
    const s = score(deg);
    if (s > bestScore) {
      bestScore = s;
      best = deg;
    }
  }
  if (Math.abs(best) < 0.05) return image;
  // rotate by -best around the centre (inverse mapping, nearest pixel)
  const a = (best * Math.PI) / 180;
  const cos = Math.cos(a);
  const sin = Math.sin(a);
  const cx = width / 2;
  const cy = height / 2;
  const out = new Uint8Array(width * height).fill(255);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const sx = Math.round(cos * (x - cx) - sin * (y - cy) + cx);
      const sy = Math.round(sin * (x - cx) + cos * (y - cy) + cy);
      if (sx >= 0 && sx < width && sy >= 0 && sy < height) out[y * width + x] = data[sy * width + sx]!;
    }
  }
  return { width, height, data: out };
}

/**
 * The grey level below which a pixel can belong to a table rule: a little darker than the paper
 * (the commonest level). Thin rules in photos and soft scans are light grey, far lighter than text.
 */
export function ruleThreshold(image: GreyImage): number {
  const hist = new Uint32Array(256);
  for (const v of image.data) hist[v]!++;
  let paper = 255;
  for (let v = 0; v < 256; v++) if (hist[v]! > hist[paper]!) paper = v;
  return Math.max(100, Math.min(215, paper - 30));
}
