import type { Method } from "../../authn/policy-sections.js";
import { maskedNumber, smsPhones } from "./devices.js";
import type { AuthSettings, SubjectUser } from "./subject.js";

/**
 * The menu Duo's Unix clients print verbatim and the keys they may send back (research/
 * auth-protocols.md §1.5, §2): the server alone builds it. Gatehouse's only out-of-band factor is
 * an SMS of passcodes, one option per phone that takes them; everything else is a passcode typed
 * at the prompt. No `default`: with none, a non-interactive login cannot pass without a passcode
 * (a default of SMS would send a message on every scripted login and still deny it).
 */
export interface TextPrompt {
  text: string;
  factors: Record<string, string>;
}

export function textPrompt(
  user: SubjectUser,
  settings: AuthSettings,
  methods: readonly Method[],
): TextPrompt {
  // R-POL-2: SMS is offered only where the policy allows it.
  const phones = methods.includes("sms") ? smsPhones(user, settings) : [];
  const heading = `Gatehouse two-factor login for ${user.username}\n\n`;
  if (phones.length === 0)
    return {
      text: `${heading}Enter a passcode from your authenticator app or hardware token, or a bypass code.\n\nPasscode: `,
      factors: {},
    };
  const options = phones.map(
    (phone, i) => ` ${i + 1}. SMS passcodes to ${maskedNumber(phone.number)}`,
  );
  return {
    text: `${heading}Enter a passcode or select one of the following options:\n\n${options.join("\n")}\n\nPasscode or option (1-${phones.length}): `,
    factors: Object.fromEntries(phones.map((_, i) => [String(i + 1), `sms${i + 1}`])),
  };
}

/** What a person typed at the prompt (or what the client sent for the key they typed). */
export type PromptAnswer =
  | { kind: "sms"; index: number }
  | { kind: "unavailable"; factor: "push" | "phone" }
  | { kind: "passcode"; passcode: string };

const FACTOR_WORD = /^(sms|push|phone)([1-9][0-9]?)?$/;

/**
 * Duo's words a person may type instead of a passcode (research/auth-protocols.md §1.5: `push`,
 * `phone`, `sms`, with an optional device number); anything else is a passcode. A typed word is
 * never counted as a failed passcode.
 */
export function readPromptAnswer(text: string): PromptAnswer {
  const answer = text.trim();
  const word = FACTOR_WORD.exec(answer.toLowerCase());
  if (word === null) return { kind: "passcode", passcode: answer };
  if (word[1] === "sms") return { kind: "sms", index: Number(word[2] ?? "1") };
  return { kind: "unavailable", factor: word[1] === "push" ? "push" : "phone" };
}
