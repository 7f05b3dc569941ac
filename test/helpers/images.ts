import { randomBytes } from "node:crypto";
import { crc32, deflateSync } from "node:zlib";

/** A PNG chunk: length, type, data, and the CRC of type and data. */
function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const typed = Buffer.concat([Buffer.from(type, "latin1"), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typed));
  return Buffer.concat([length, typed, crc]);
}

/**
 * A real PNG (8-bit RGB) any browser draws: one colour, or random noise (which deflate cannot
 * shrink, for a file of a chosen size).
 */
export function pngImage(
  width: number,
  height: number,
  fill: [number, number, number] | "noise" = [40, 90, 200],
): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8);
  const row = (): Buffer => {
    const pixels = fill === "noise" ? randomBytes(width * 3) : Buffer.alloc(width * 3);
    if (fill !== "noise") for (let x = 0; x < width; x++) pixels.set(fill, x * 3);
    return Buffer.concat([Buffer.from([0]), pixels]);
  };
  const rows = Buffer.concat(Array.from({ length: height }, row));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", header),
    chunk("IDAT", deflateSync(rows)),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

function segment(marker: number, body: number[]): number[] {
  const length = body.length + 2;
  return [0xff, marker, length >> 8, length & 0xff, ...body];
}

/**
 * A real baseline JPEG, mid-grey: one component, one quantisation table, and Huffman tables of a
 * single code each, so every 8×8 block is two bits (DC difference 0, end of block).
 */
export function jpegImage(width: number, height: number): Buffer {
  const blocks = Math.ceil(width / 8) * Math.ceil(height / 8);
  const scanBytes = Math.ceil((blocks * 2) / 8);
  const scan = new Array<number>(scanBytes).fill(0);
  // The bits after the last block are padded with ones.
  const usedInLast = (blocks * 2) % 8;
  if (usedInLast !== 0) scan[scanBytes - 1] = 0xff >> usedInLast;
  const oneCode = (tableClass: number) => [tableClass, 1, ...new Array(15).fill(0), 0x00];
  return Buffer.from([
    0xff,
    0xd8,
    ...segment(0xe0, [0x4a, 0x46, 0x49, 0x46, 0, 1, 1, 0, 0, 1, 0, 1, 0, 0]),
    ...segment(0xdb, [0, ...new Array(64).fill(1)]),
    ...segment(0xc0, [8, height >> 8, height & 0xff, width >> 8, width & 0xff, 1, 1, 0x11, 0]),
    ...segment(0xc4, oneCode(0x00)),
    ...segment(0xc4, oneCode(0x10)),
    ...segment(0xda, [1, 1, 0x00, 0, 63, 0]),
    ...scan,
    0xff,
    0xd9,
  ]);
}
