import { Invalid } from "../errors.js";
import { whyNotText } from "../text-guard.js";

export const MAX_LABEL = 100;

/** The owner's name for a credential: trimmed, at most 100 characters; "" for none. */
export function parseLabel(value: string, field = "label"): string {
  const label = value.trim();
  if (label.length > MAX_LABEL) throw new Invalid(field, `must be at most ${MAX_LABEL} characters`);
  const why = whyNotText(label);
  if (why) throw new Invalid(field, why);
  return label;
}
