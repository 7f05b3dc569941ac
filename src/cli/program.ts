import { Command, CommanderError, Option } from "commander";
import { API_GRANTS } from "../authz/vocabulary.js";
import { EDITIONS } from "../db/schema.js";
import { DomainError } from "../domain/errors.js";
import { assertAction, listActions } from "./authz.js";
import type { CommandHost } from "./host.js";
import { assertGrantOptions, collectGrant } from "./integration.js";
import { print } from "./output.js";

/**
 * Parses one command line and runs it on `host`; resolves with its exit code: 0 done, 1 failed,
 * 2 refused (bad input, with the option or rule named), 3 a "no" answer (check denied, migrations
 * pending). The CLI and the running server's control socket both come here, so a command behaves
 * the same whichever process runs it.
 */
export async function runCommandLine(argv: readonly string[], host: CommandHost): Promise<number> {
  let exitCode = 0;
  const settle = async (run: Promise<number>) => {
    exitCode = await run;
  };
  const program = buildProgram(host, settle);
  try {
    await program.parseAsync([...argv], { from: "user" });
    return exitCode;
  } catch (error) {
    // Commander has already explained its own refusals (unknown option, missing value, --help).
    if (error instanceof CommanderError) return error.exitCode;
    const message = error instanceof Error ? error.message : String(error);
    await print(host.output.stderr, `gatehouse: ${message}\n`);
    return error instanceof DomainError ? 2 : 1;
  }
}

/*
 * Each command's module is loaded when it runs: the database layer (Kysely alone) costs seconds of
 * start-up on a loaded machine, and a command that the running server executes needs none of it in
 * the CLI's process.
 */
function buildProgram(host: CommandHost, settle: (run: Promise<number>) => Promise<void>) {
  const program = new Command("gatehouse")
    .description("Gatehouse: delegated, multi-tenant administration with a Duo-compatible API")
    .exitOverride()
    .configureOutput({
      writeOut: (text) => host.output.stdout.write(text),
      writeErr: (text) => host.output.stderr.write(text),
    })
    .showHelpAfterError()
    .addHelpText(
      "after",
      "\nConfiguration comes from the environment: DATABASE_URL (PostgreSQL; embedded PGlite when unset),\nGATEHOUSE_DATA_DIR, GATEHOUSE_SECRET_KEY, PORT, HOST, GATEHOUSE_PUBLIC_URL, TLS_CERT, TLS_KEY, LOG_LEVEL. See README.md.\nOn embedded PGlite, commands run inside the server when it is running (through its socket in the data directory).",
    );

  program
    .command("serve")
    .description("run the server (applies pending migrations first)")
    .option("--init-name <name>", "on an empty database, create the parent account with this name")
    .option("--init-owner-email <email>", "on an empty database, the first Owner's email")
    .action((options) => settle(host.serve(options)));

  program
    .command("migrate")
    .description(
      "apply pending database migrations (safe to run twice, or from two processes at once)",
    )
    .option(
      "--status",
      "only report applied and pending migrations; exit code 3 when some are pending",
    )
    .action((options) =>
      settle(
        host.withStorage(
          async (env, output) =>
            (await import("./migrate.js")).migrateCommand(env, options, output),
          {
            migrate: false,
          },
        ),
      ),
    );

  program
    .command("init")
    .description(
      "create the parent account and its first Owner, with an activation link (only on an empty database)",
    )
    .requiredOption("--name <name>", "the parent account's name, e.g. your company")
    .requiredOption("--owner-email <email>", "the first Owner's email address")
    .option("--owner-name <name>", "the first Owner's full name (default: the email's local part)")
    .addOption(
      new Option("--edition <edition>", "the parent's plan edition")
        .choices(EDITIONS)
        .default("Premier"),
    )
    .option("--json", "print the result as JSON")
    .action((options) =>
      settle(
        host.withStorage(async (env, output) =>
          (await import("./init.js")).init(env, options, output),
        ),
      ),
    );

  program
    .command("demo")
    .description(
      "fill an empty database with a sample MSP: 20 subaccounts with tags, admins in every role, units, users",
    )
    .option("--json", "print the result as JSON")
    .action((options) =>
      settle(
        host.withStorage(async (env, output) =>
          (await import("./demo.js")).demo(env, options, output),
        ),
      ),
    );

  program
    .command("recover")
    .description(
      "create a temporary Owner with an activation link, for when no Owner can sign in (R-ADM-5)",
    )
    .requiredOption("--account <id>", "the account (DA...) to recover")
    .requiredOption("--email <email>", "the temporary Owner's email address")
    .option("--name <name>", "the temporary Owner's name")
    .option("--json", "print the result as JSON")
    .action((options) =>
      settle(
        host.withStorage(async (env, output) =>
          (await import("./recover.js")).recover(env, options, output),
        ),
      ),
    );

  program
    .command("integration")
    .description(
      "manage integrations: Admin API, Accounts API, Auth API, UNIX and Web SDK (Universal Prompt) applications",
    )
    .command("create")
    .description("create an integration; prints its integration key and secret key (shown once)")
    .requiredOption("--account <id>", "the account (DA...) the integration belongs to")
    .requiredOption(
      "--type <type>",
      "adminapi, accountsapi (only at a parent account, R-TEN-5), authapi, unix or websdk",
    )
    .requiredOption("--name <name>", "the integration's name, 1 to 100 characters")
    .option(
      "--grant <grant>",
      `an Admin API grant, repeatable: ${API_GRANTS.join(", ")} (none for accountsapi)`,
      collectGrant,
    )
    .option("--all-grants", "give an Admin API integration all seven grants")
    .option("--unit <id>", "the administrative unit (DN...) it joins (R-UNIT-3: one at most)")
    .option("--json", "print {integration_key, secret_key, api_hostname} as JSON")
    .addHelpText(
      "after",
      "\napi_hostname is the host name of GATEHOUSE_PUBLIC_URL without its port: Duo clients take a bare\nhost name. When Gatehouse listens on a port other than 443, point the client at that port separately\n(or put a TLS proxy on 443 in front).",
    )
    .action((options) => {
      assertGrantOptions(options);
      return settle(
        host.withStorage(async (env, output) =>
          (await import("./integration.js")).integrationCreate(env, options, output),
        ),
      );
    });

  program
    .command("check")
    .description(
      "explain whether an administrator may perform an action (exit 0 allowed, 3 denied)",
    )
    .requiredOption("--admin <email>", "the administrator's email")
    .requiredOption("--action <action>", "an action, e.g. users:delete (see `gatehouse actions`)")
    .requiredOption("--account <id>", "the account (DA...) the action is in")
    .option(
      "--object <kind:id>",
      "the object acted on: user:DU..., group:DG..., application:DI..., admin:DE...",
    )
    .option("--json", "print the decision as JSON")
    .action((options) => {
      assertAction(options.action);
      return settle(
        host.withStorage(async (env, output) =>
          (await import("./authz.js")).check(env, options, output),
        ),
      );
    });

  program
    .command("access-summary")
    .description("write the access summary CSV (R-SUM-1): parent-level admins by subaccount")
    .requiredOption("--account <id>", "the parent account (DA...)")
    .option("--out <file>", "write to this file instead of standard output")
    .action((options) =>
      settle(
        host.withStorage(
          async (env, output) => (await import("./authz.js")).accessSummary(env, options, output),
          {
            stdoutTo: options.out,
          },
        ),
      ),
    );

  program
    .command("actions")
    .description(
      "list every action the authorization engine knows, with the SPEC R-ROLE-2 row it implements",
    )
    .option("--json", "print as JSON")
    .action((options) => settle(listActions(options, host.output)));

  return program;
}
