import { describe, expect, it } from "vitest";
import { inspectLogo, MAX_LOGO_BYTES } from "../../../src/domain/branding/image.js";
import { Invalid } from "../../../src/domain/errors.js";
import { jpegImage, pngImage } from "../../helpers/images.js";

/** The refusal's words, or a failure saying the bytes were taken. */
function refusal(bytes: Uint8Array): string {
  try {
    inspectLogo(bytes);
  } catch (error) {
    expect(error).toBeInstanceOf(Invalid);
    expect((error as Invalid).field).toBe("logo");
    return (error as Invalid).why;
  }
  throw new Error("the bytes were accepted");
}

describe("a logo's bytes (issue 15: the prompt's branding)", () => {
  it("a PNG and a JPEG are known by their bytes, with their size in pixels from the header", () => {
    expect(inspectLogo(pngImage(120, 40))).toEqual({
      contentType: "image/png",
      width: 120,
      height: 40,
    });
    expect(inspectLogo(jpegImage(200, 64))).toEqual({
      contentType: "image/jpeg",
      width: 200,
      height: 64,
    });
    // A view into a larger buffer (as a decoded upload may be) reads from its own start.
    const padded = Buffer.concat([Buffer.from("xxxx"), pngImage(32, 32)]);
    expect(inspectLogo(padded.subarray(4)).width).toBe(32);
  });

  it("SVG, GIF, WebP, HTML and text are refused whatever they are called: only PNG and JPEG pass", () => {
    const svg = Buffer.from(
      '<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64"><script>alert(1)</script></svg>',
    );
    const gif = Buffer.concat([Buffer.from("GIF89a"), Buffer.alloc(64)]);
    const webp = Buffer.concat([Buffer.from("RIFF\0\0\0\0WEBPVP8 "), Buffer.alloc(64)]);
    const html = Buffer.from("<!doctype html><img src=x onerror=alert(1)>");
    for (const bytes of [svg, gif, webp, html, Buffer.from("hello")])
      expect(refusal(bytes)).toBe(
        "must be a PNG or JPEG image; other kinds of file, SVG included, are not accepted",
      );
  });

  it("an empty file, and one over 200 KB, are refused saying so", () => {
    expect(refusal(Buffer.alloc(0))).toBe("is empty: choose a PNG or JPEG image");
    const big = pngImage(300, 300, "noise");
    expect(big.length).toBeGreaterThan(MAX_LOGO_BYTES);
    expect(refusal(big)).toBe(
      `is ${Math.ceil(big.length / 1024)} KB; a logo may be at most 200 KB`,
    );
    // Exactly at the limit is taken: a PNG padded with an ancillary chunk to 200 KB.
    const image = pngImage(64, 64);
    const padding = MAX_LOGO_BYTES - image.length - 12;
    const length = Buffer.alloc(4);
    length.writeUInt32BE(padding);
    const atLimit = Buffer.concat([
      image.subarray(0, 33),
      length,
      Buffer.from("tEXt"),
      Buffer.alloc(padding),
      Buffer.alloc(4),
      image.subarray(33),
    ]);
    expect(atLimit.length).toBe(MAX_LOGO_BYTES);
    expect(inspectLogo(atLimit).contentType).toBe("image/png");
  });

  it("each side must be 16 to 1024 pixels, read from the header", () => {
    expect(refusal(pngImage(15, 40))).toBe(
      "is 15×40 pixels; each side must be between 16 and 1024 pixels",
    );
    expect(refusal(pngImage(1025, 16))).toBe(
      "is 1025×16 pixels; each side must be between 16 and 1024 pixels",
    );
    expect(refusal(jpegImage(64, 2000))).toBe(
      "is 64×2000 pixels; each side must be between 16 and 1024 pixels",
    );
    expect(inspectLogo(pngImage(16, 1024))).toMatchObject({ width: 16, height: 1024 });
    expect(inspectLogo(jpegImage(1024, 16))).toMatchObject({ width: 1024, height: 16 });
  });

  it("a PNG or JPEG cut short, damaged, or without image data is refused", () => {
    const png = pngImage(64, 64);
    const jpeg = jpegImage(64, 64);
    const brokenPng = "is not a whole PNG image: the file is damaged or cut short";
    const brokenJpeg = "is not a whole JPEG image: the file is damaged or cut short";
    expect(refusal(png.subarray(0, 8))).toBe(brokenPng);
    expect(refusal(png.subarray(0, png.length - 12))).toBe(brokenPng); // no IEND
    expect(refusal(png.subarray(0, 40))).toBe(brokenPng); // IDAT runs past the end
    // IHDR, then IEND: no image data.
    expect(refusal(Buffer.concat([png.subarray(0, 33), png.subarray(png.length - 12)]))).toBe(
      brokenPng,
    );
    const notIhdr = Buffer.from(png);
    notIhdr.write("IHDX", 12, "latin1");
    expect(refusal(notIhdr)).toBe(brokenPng);
    expect(refusal(jpeg.subarray(0, 3))).toBe(brokenJpeg);
    expect(refusal(jpeg.subarray(0, 100))).toBe(brokenJpeg); // cut inside the frame's tables
    // The scan before any frame: no size to read.
    const sos = jpeg.indexOf(Buffer.from([0xff, 0xda]));
    const sof = jpeg.indexOf(Buffer.from([0xff, 0xc0]));
    const withoutFrame = Buffer.concat([jpeg.subarray(0, sof), jpeg.subarray(sof + 13)]);
    expect(sos).toBeGreaterThan(sof);
    expect(refusal(withoutFrame)).toBe(brokenJpeg);
  });
});
