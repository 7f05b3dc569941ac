import { Invalid } from "../errors.js";

/**
 * The prompt's button colour when an account sets none: the panel's own (Mantine indigo 8), whose
 * contrast with white text is 5.7:1.
 */
export const DEFAULT_BRANDING_COLOUR = "#3b5bdb";

/**
 * WCAG 2.x level AA for normal text (success criterion 1.4.3): the prompt's buttons carry white
 * text on the account's colour, so no colour below this is accepted.
 */
export const MINIMUM_CONTRAST = 4.5;

const HEX_COLOUR = /^#[0-9a-fA-F]{6}$/;

/** One sRGB channel (0..255) as linear light, by WCAG's definition of relative luminance. */
function linear(channel: number): number {
  const c = channel / 255;
  return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
}

/** WCAG's relative luminance of `#rrggbb`: 0 for black, 1 for white. */
export function relativeLuminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((at) => linear(Number.parseInt(hex.slice(at, at + 2), 16)));
  return 0.2126 * (r ?? 0) + 0.7152 * (g ?? 0) + 0.0722 * (b ?? 0);
}

/** The contrast ratio of white text on `#rrggbb`, from 1 (white on white) to 21 (white on black). */
export function contrastWithWhite(hex: string): number {
  return 1.05 / (relativeLuminance(hex) + 0.05);
}

/** A ratio as people read it: 4.47 shows as "4.4:1", never rounded up past the limit it missed. */
export function ratioText(ratio: number): string {
  return `${(Math.floor(ratio * 10) / 10).toFixed(1)}:1`;
}

/**
 * A button colour as stored: `#rrggbb` in lowercase, dark enough that white text on it keeps a
 * contrast of at least 4.5:1 (the refusal says how far it is and what to do).
 */
export function parseColour(value: string): string {
  const colour = value.trim();
  if (!HEX_COLOUR.test(colour))
    throw new Invalid("colour", "must be a colour written as # and six hex digits, like #1a4d8f");
  const lower = colour.toLowerCase();
  const ratio = contrastWithWhite(lower);
  if (ratio < MINIMUM_CONTRAST)
    throw new Invalid(
      "colour",
      `is too light: white text on ${lower} has a contrast of ${ratioText(ratio)}, and the sign-in page's buttons need at least ${MINIMUM_CONTRAST}:1 to stay readable (WCAG AA). Choose a darker colour.`,
    );
  return lower;
}
