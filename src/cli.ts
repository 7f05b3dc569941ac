import { cliHost } from "./cli/hosts.js";
import { runCommandLine } from "./cli/program.js";

const argv = process.argv.slice(2);
process.exitCode = await runCommandLine(argv, cliHost(argv));
