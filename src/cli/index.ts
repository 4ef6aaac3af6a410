import { loadDotEnv } from "../config.ts";
import { runCli } from "./program.ts";

loadDotEnv();
const code = await runCli(process.argv.slice(2), {
  env: process.env,
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
});
process.exit(code);
