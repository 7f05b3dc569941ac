import type { DecisionQuery } from "./decisions.js";
import type { Action } from "./types.js";

/** What the admin would be doing, in words, for "Why can't I …?" (the engine names actions in code). */
const PHRASES: Partial<Record<Action, string>> = {
  "accounts:switch": "open this account",
  "admins:directory_sync": "sync administrators from the directory",
  "dashboard:view": "see the Dashboard",
  "directory:sync_full": "run a full directory sync",
  "edition:change": "change the plan edition",
  "profile:edit": "edit my profile",
  "settings:modify": "change the settings",
  "subaccount_roles:edit": "change subaccount roles",
  "subaccounts:list": "see the accounts",
  "tags:manage": "create or assign access tags",
  "units:manage": "manage administrative units",
  "users:bulk_enroll": "enroll users in bulk",
  "users:send_enrollment": "send an enrollment email",
  "users:set_bypass": "give bypass status",
  "users:sync_one": "sync this user from the directory",
  "phones:send_activation": "send a phone its activation",
};

const NOUNS: Record<string, [plural: string, singular: string]> = {
  admins: ["administrators", "administrator"],
  users: ["users", "user"],
  groups: ["groups", "group"],
  applications: ["applications", "application"],
  api_applications: ["Admin API applications", "application"],
  subaccounts: ["subaccounts", "subaccount"],
  bypass_codes: ["bypass codes", "bypass code"],
  phones: ["phones", "phone"],
  tokens: ["hardware tokens", "hardware token"],
  policies: ["policies", "policy"],
  billing: ["billing", "billing"],
  sso_sources: ["single sign-on sources", "single sign-on source"],
};

const OBJECT_NOUNS: Record<NonNullable<DecisionQuery["object"]>["kind"], string> = {
  admin: "administrator",
  user: "user",
  group: "group",
  application: "application",
};

/** "delete this user", "add administrators", "view the administrator actions". */
export function actionPhrase(query: DecisionQuery): string {
  const known = PHRASES[query.action];
  if (known) return known;
  const [resource = "", verb = ""] = query.action.split(":");
  const [plural, singular] = NOUNS[resource] ?? [resource.replace(/_/g, " "), ""];
  const objectNoun = query.object?.id ? OBJECT_NOUNS[query.object.kind] : undefined;
  const noun = objectNoun ? `this ${objectNoun || singular}` : plural;
  const words = verb.split("_");
  const first = words[0] ?? "";
  const rest = words.slice(1).join(" ");
  if (resource === "reports") return `see the ${rest}`;
  if (rest) return `${first === "update" ? "change" : first} the ${rest} of ${noun}`;
  // "add a new user" rather than "add users": a Why? link's name must not contain its button's
  // words ("Add User"), or looking the button up by name finds both.
  if (first === "create") return `add a new ${singular || plural}`;
  return `${first === "update" ? "change" : first} ${noun}`;
}

/** The accessible name of a Why? link: a question a person would ask ("Why can't I delete this user?"). */
export function whyQuestion(query: DecisionQuery): string {
  return `Why can't I ${actionPhrase(query)}?`;
}
