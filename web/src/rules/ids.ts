/** A rule's id as the project writes it: R-TAG-2, R-UNIT-8a. */
export const RULE_ID = /R-[A-Z]+-\d+[a-z]?/g;

const ID = RULE_ID.source;
const ID_LIST = `${ID}(?:\\s*(?:,|and|&)\\s*${ID})*`;
/** "R-TAG-2: sentence" or "R-SUB-1, R-SUB-7: sentence": the server's and the engine's prefix. */
const PREFIX = new RegExp(`^\\s*(${ID_LIST})\\s*:\\s*`);
/** "sentence (R-ADM-2)" or "(rule R-TAG-1)" anywhere in it. */
const PARENTHESISED = new RegExp(`\\s*\\((?:rules?\\s+)?(${ID_LIST})\\)`, "g");

export interface PlainSentence {
  /** The sentence with its rule ids taken out of it. */
  text: string;
  /** The ids it named, each once, in the order it named them. */
  rules: string[];
}

function idsIn(text: string): string[] {
  return text.match(RULE_ID) ?? [];
}

/**
 * Takes the rule ids out of a sentence written for people ("R-TAG-2: you share no tag" or "They
 * activate with the link (R-ADM-2)"), so the sentence reads as words and the ids become links. An id
 * in the middle of a sentence stays where it is: taking it out would leave the sentence broken.
 */
export function takeRuleIds(sentence: string): PlainSentence {
  const rules: string[] = [];
  let text = sentence;
  const prefix = PREFIX.exec(text);
  if (prefix?.[1]) {
    rules.push(...idsIn(prefix[1]));
    text = text.slice(prefix[0].length);
  }
  text = text.replace(PARENTHESISED, (_match, list: string) => {
    rules.push(...idsIn(list));
    return "";
  });
  text = text.trim();
  // "R-TAG-2: subaccount Acme …" reads as a sentence once its id is gone: "Subaccount Acme …".
  if (prefix && text.length > 0) text = text.charAt(0).toUpperCase() + text.slice(1);
  return { text, rules: [...new Set(rules)] };
}

/** The pieces of a text: words, and the rule ids in it, in order (for rendering ids as links). */
export function splitRuleIds(
  text: string,
): ({ kind: "text"; text: string } | { kind: "rule"; id: string })[] {
  const parts: ({ kind: "text"; text: string } | { kind: "rule"; id: string })[] = [];
  let last = 0;
  for (const match of text.matchAll(RULE_ID)) {
    if (match.index > last) parts.push({ kind: "text", text: text.slice(last, match.index) });
    parts.push({ kind: "rule", id: match[0] });
    last = match.index + match[0].length;
  }
  if (last < text.length) parts.push({ kind: "text", text: text.slice(last) });
  return parts;
}
