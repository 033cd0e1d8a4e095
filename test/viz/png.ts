import { inflateSync } from "node:zlib";

/** A decoded 8-bit RGB(A) PNG (test helper: enough to check that a screenshot has content). */
export interface Image {
  width: number;
  height: number;
  /** [height][width][4] RGBA, row-major */
  rgba: Uint8Array;
}

/** Decode a non-interlaced 8-bit RGB/RGBA PNG (what Chromium's --screenshot writes). */
export function decodePng(buf: Uint8Array): Image {
  const sig = [137, 80, 78, 71, 13, 10, 26, 10];
  sig.forEach((b, i) => { if (buf[i] !== b) throw new Error("not a PNG"); });
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  let off = 8, width = 0, height = 0, colorType = 0;
  const idat: Uint8Array[] = [];
  while (off < buf.length) {
    const len = view.getUint32(off);
    const type = String.fromCharCode(...buf.subarray(off + 4, off + 8));
    const data = buf.subarray(off + 8, off + 8 + len);
    if (type === "IHDR") {
      width = view.getUint32(off + 8); height = view.getUint32(off + 12);
      if (data[8] !== 8 || data[12] !== 0) throw new Error("only 8-bit non-interlaced PNGs");
      colorType = data[9];
    } else if (type === "IDAT") idat.push(data);
    else if (type === "IEND") break;
    off += 12 + len;
  }
  const bpp = colorType === 6 ? 4 : colorType === 2 ? 3 : 0;
  if (!bpp) throw new Error(`unsupported colour type ${colorType}`);
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * bpp;
  const px = new Uint8Array(height * stride);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    const src = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    for (let x = 0; x < stride; x++) {
      const a = x >= bpp ? px[y * stride + x - bpp] : 0;
      const b = y > 0 ? px[(y - 1) * stride + x] : 0;
      const c = x >= bpp && y > 0 ? px[(y - 1) * stride + x - bpp] : 0;
      let v = src[x];
      if (filter === 1) v += a;
      else if (filter === 2) v += b;
      else if (filter === 3) v += (a + b) >> 1;
      else if (filter === 4) { const p = a + b - c; const pa = Math.abs(p - a), pb = Math.abs(p - b), pc = Math.abs(p - c); v += pa <= pb && pa <= pc ? a : pb <= pc ? b : c; }
      px[y * stride + x] = v & 255;
    }
  }
  const rgba = new Uint8Array(width * height * 4);
  for (let i = 0; i < width * height; i++) {
    rgba[i * 4] = px[i * bpp]; rgba[i * 4 + 1] = px[i * bpp + 1]; rgba[i * 4 + 2] = px[i * bpp + 2];
    rgba[i * 4 + 3] = bpp === 4 ? px[i * bpp + 3] : 255;
  }
  return { width, height, rgba };
}

/** Number of pixels within `tol` of an RGB colour. */
export function countColour(img: Image, rgb: [number, number, number], tol = 8): number {
  let n = 0;
  for (let i = 0; i < img.width * img.height; i++) {
    if (Math.abs(img.rgba[i * 4] - rgb[0]) <= tol && Math.abs(img.rgba[i * 4 + 1] - rgb[1]) <= tol && Math.abs(img.rgba[i * 4 + 2] - rgb[2]) <= tol) n++;
  }
  return n;
}
