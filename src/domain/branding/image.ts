import { Invalid } from "../errors.js";

/** The largest logo kept: 200 KB (the prompt loads it on a phone, on every login). */
export const MAX_LOGO_BYTES = 200 * 1024;
/** Each side of a logo, in pixels: big enough to see, small enough to send to a phone. */
export const MIN_LOGO_SIDE = 16;
export const MAX_LOGO_SIDE = 1024;

export type LogoContentType = "image/png" | "image/jpeg";

/** What the bytes of an accepted logo are, read from the bytes themselves. */
export interface LogoImage {
  contentType: LogoContentType;
  width: number;
  height: number;
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const JPEG_START = [0xff, 0xd8, 0xff];

function startsWith(bytes: Uint8Array, prefix: readonly number[]): boolean {
  return prefix.every((byte, at) => bytes[at] === byte);
}

function uint32(bytes: Uint8Array, at: number): number {
  return new DataView(bytes.buffer, bytes.byteOffset + at, 4).getUint32(0);
}

function uint16(bytes: Uint8Array, at: number): number {
  return new DataView(bytes.buffer, bytes.byteOffset + at, 2).getUint16(0);
}

function chunkType(bytes: Uint8Array, at: number): string {
  return String.fromCharCode(...bytes.subarray(at, at + 4));
}

const BROKEN_PNG = "is not a whole PNG image: the file is damaged or cut short";
const BROKEN_JPEG = "is not a whole JPEG image: the file is damaged or cut short";

/**
 * A PNG's size from its IHDR chunk (always first), after walking its chunks to IEND: a file cut
 * short, or whose chunks run past its end, or that holds no image data, is refused.
 */
function readPng(bytes: Uint8Array): { width: number; height: number } {
  if (bytes.length < 33 || uint32(bytes, 8) !== 13 || chunkType(bytes, 12) !== "IHDR")
    throw new Invalid("logo", BROKEN_PNG);
  const size = { width: uint32(bytes, 16), height: uint32(bytes, 20) };
  let at = 8;
  let hasData = false;
  while (at + 12 <= bytes.length) {
    const length = uint32(bytes, at);
    const type = chunkType(bytes, at + 4);
    const next = at + 12 + length;
    if (next > bytes.length) break;
    if (type === "IDAT") hasData = true;
    if (type === "IEND") {
      if (!hasData) break;
      return size;
    }
    at = next;
  }
  throw new Invalid("logo", BROKEN_PNG);
}

/** Start-of-frame markers (SOF0..SOF15 less DHT, JPG and DAC), the segment that holds the size. */
function isStartOfFrame(marker: number): boolean {
  return marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
}

/**
 * A JPEG's size from its start-of-frame segment, walking the segments from the start of the file;
 * the frame must come before the scan (the image data) and the scan must be there.
 */
function readJpeg(bytes: Uint8Array): { width: number; height: number } {
  let at = 2;
  let size: { width: number; height: number } | undefined;
  while (at + 4 <= bytes.length) {
    if (bytes[at] !== 0xff) break;
    const marker = bytes[at + 1] ?? 0;
    // Fill bytes: any number of 0xFF may come before a marker.
    if (marker === 0xff) {
      at += 1;
      continue;
    }
    const length = uint16(bytes, at + 2);
    if (length < 2 || at + 2 + length > bytes.length) break;
    if (isStartOfFrame(marker)) {
      if (length < 8) break;
      size = { height: uint16(bytes, at + 5), width: uint16(bytes, at + 7) };
    }
    // Start of scan: the image data follows; the frame must have been read by now.
    if (marker === 0xda) {
      if (size === undefined) break;
      return size;
    }
    at += 2 + length;
  }
  throw new Invalid("logo", BROKEN_JPEG);
}

/**
 * Checks a logo's bytes and says what they are. The type comes from the bytes' own signature,
 * never from what the sender declared, and only PNG and JPEG pass: SVG (a document that can carry
 * script), GIF, WebP and the rest are refused. The size in pixels comes from the image's header.
 */
export function inspectLogo(bytes: Uint8Array): LogoImage {
  if (bytes.length === 0) throw new Invalid("logo", "is empty: choose a PNG or JPEG image");
  if (bytes.length > MAX_LOGO_BYTES)
    throw new Invalid(
      "logo",
      `is ${Math.ceil(bytes.length / 1024)} KB; a logo may be at most ${MAX_LOGO_BYTES / 1024} KB`,
    );
  let image: LogoImage;
  if (startsWith(bytes, PNG_SIGNATURE)) image = { contentType: "image/png", ...readPng(bytes) };
  else if (startsWith(bytes, JPEG_START)) image = { contentType: "image/jpeg", ...readJpeg(bytes) };
  else
    throw new Invalid(
      "logo",
      "must be a PNG or JPEG image; other kinds of file, SVG included, are not accepted",
    );
  const { width, height } = image;
  const fits = (side: number) => side >= MIN_LOGO_SIDE && side <= MAX_LOGO_SIDE;
  if (!fits(width) || !fits(height))
    throw new Invalid(
      "logo",
      `is ${width}×${height} pixels; each side must be between ${MIN_LOGO_SIDE} and ${MAX_LOGO_SIDE} pixels`,
    );
  return image;
}
