import { maskedNumber } from "../authentication/devices.js";

/** A phone number as stored (E.164) inside a longer text, such as a device's name in the log. */
const STORED_NUMBER = /\+\d{4,15}/g;

/**
 * R-ROLE-3: Application Managers see no phone numbers. A number inside a text keeps only its last
 * four digits, as the login prompt shows it (XXX-XXX-0100), so two phones can still be told apart.
 */
export function hidePhoneNumbers(text: string): string {
  return text.replace(STORED_NUMBER, (number) => maskedNumber(number));
}
