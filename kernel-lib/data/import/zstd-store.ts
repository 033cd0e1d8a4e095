/**
 * A valid Zstandard stream without compression: one frame of raw ("stored") blocks, which every
 * zstd decoder reads. For building `.jsonl.zst` test and example inputs without a compressor
 * (mixlab only decompresses; real shards come from the `zstd` tool).
 */

/** Largest block size the format allows (Block_Maximum_Size = 128 KiB). */
const BLOCK = 128 * 1024;

/**
 * `data` as a zstd frame of raw blocks (window 128 KiB, no checksum, no content size).
 *
 * @example
 * zstdStore(Buffer.from('{"text":"hi"}\n')); // Buffer starting 28 b5 2f fd
 */
export function zstdStore(data: Uint8Array): Buffer {
  const blocks = Math.max(1, Math.ceil(data.length / BLOCK));
  const out = Buffer.alloc(4 + 2 + 3 * blocks + data.length);
  out.writeUInt32LE(0xfd2fb528, 0); // magic
  out[4] = 0x00; // frame header descriptor: no content size, not single-segment, no checksum, no dictionary
  out[5] = (17 - 10) << 3; // window descriptor: 2^17 bytes
  let pos = 6;
  for (let b = 0; b < blocks; b++) {
    const start = b * BLOCK;
    const size = Math.min(BLOCK, data.length - start);
    const last = b === blocks - 1 ? 1 : 0;
    const header = last | (0 << 1) | (size << 3); // raw block
    out[pos] = header & 0xff;
    out[pos + 1] = (header >>> 8) & 0xff;
    out[pos + 2] = (header >>> 16) & 0xff;
    pos += 3;
    out.set(data.subarray(start, start + size), pos);
    pos += size;
  }
  return out;
}
