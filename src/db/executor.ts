import type { Kysely, Transaction } from "kysely";
import type { Database } from "./schema.js";

/** Either the database or a transaction on it: queries take this so callers choose the transaction. */
export type Executor = Kysely<Database> | Transaction<Database>;
