import { Invalid } from "./errors.js";

const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

/** An email address as stored: trimmed, at most 254 characters, one @ and a dotted domain. */
export function parseEmail(field: string, value: string): string {
  const email = value.trim();
  if (email.length > 254 || !EMAIL.test(email))
    throw new Invalid(field, "must be an email address such as ana@example.com");
  return email;
}

/** A display name: trimmed, 1 to 100 characters. */
export function parseName(field: string, value: string): string {
  const name = value.trim();
  if (name.length < 1 || name.length > 100) throw new Invalid(field, "must be 1 to 100 characters");
  return name;
}
