import { describe, expect, it } from "vitest";
import {
  contrastWithWhite,
  DEFAULT_BRANDING_COLOUR,
  MINIMUM_CONTRAST,
  parseColour,
  ratioText,
} from "../../../src/domain/branding/colour.js";
import { Invalid } from "../../../src/domain/errors.js";

function refusal(value: string): string {
  try {
    parseColour(value);
  } catch (error) {
    expect(error).toBeInstanceOf(Invalid);
    expect((error as Invalid).field).toBe("colour");
    return (error as Invalid).why;
  }
  throw new Error(`${value} was accepted`);
}

describe("the prompt's button colour (issue 15): white text on it must stay readable", () => {
  it("computes WCAG's contrast ratio of white text", () => {
    expect(contrastWithWhite("#000000")).toBeCloseTo(21, 5);
    expect(contrastWithWhite("#ffffff")).toBeCloseTo(1, 5);
    // Published values: #767676 is the lightest grey with 4.5:1 on white; #777777 is 4.48:1.
    expect(contrastWithWhite("#767676")).toBeGreaterThanOrEqual(4.5);
    expect(contrastWithWhite("#777777")).toBeCloseTo(4.48, 2);
    expect(contrastWithWhite("#0000ff")).toBeCloseTo(8.59, 2);
    expect(contrastWithWhite(DEFAULT_BRANDING_COLOUR)).toBeGreaterThanOrEqual(MINIMUM_CONTRAST);
  });

  it("takes #rrggbb in either case, stored in lowercase", () => {
    expect(parseColour("#1A4D8F")).toBe("#1a4d8f");
    expect(parseColour(" #767676 ")).toBe("#767676");
    expect(parseColour("#000000")).toBe("#000000");
  });

  it("refuses a colour below 4.5:1, saying how far it is, never rounding up to pass", () => {
    expect(refusal("#777777")).toBe(
      "is too light: white text on #777777 has a contrast of 4.4:1, and the sign-in page's buttons need at least 4.5:1 to stay readable (WCAG AA). Choose a darker colour.",
    );
    expect(refusal("#FFCC00")).toContain("white text on #ffcc00 has a contrast of 1.5:1");
    expect(refusal("#ffffff")).toContain("a contrast of 1.0:1");
    expect(ratioText(4.4999)).toBe("4.4:1");
  });

  it("refuses what is not # and six hex digits", () => {
    for (const value of ["", "#fff", "1a4d8f", "#1a4d8g", "#1a4d8f0", "red", "rgb(0,0,0)"])
      expect(refusal(value)).toBe("must be a colour written as # and six hex digits, like #1a4d8f");
  });
});
