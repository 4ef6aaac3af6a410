import { Command, CommanderError } from "commander";
import { ConfigError, parseConfig } from "../config.ts";
import { describeConfigProblem } from "../configErrors.ts";
import { isDomainError } from "../domain/errors.ts";
import { createTranslator, isLanguage, type Language } from "../i18n.ts";
import type { Clock } from "../services/clock.ts";
import { registerAuditCommand } from "./auditCommands.ts";
import { registerBackupCommands } from "./backupCommands.ts";
import { createCliContext } from "./context.ts";
import { registerConsoleCommands } from "./consoleCommands.ts";
import { registerDemoCommand } from "./demoCommand.ts";
import { registerMeetingCommands } from "./meetingCommands.ts";
import { registerMemberCommands } from "./memberCommands.ts";
import { secrets } from "../redaction.ts";
import { registerOrgCommands } from "./orgCommands.ts";

export interface CliIo {
  env: NodeJS.ProcessEnv;
  out(line: string): void;
  err(line: string): void;
  clock?: Clock;
}

/** The language asked for with --lang, else CHIBO_LANG, else DEFAULT_LANGUAGE, else Vietnamese. */
function pickLanguage(args: string[], env: NodeJS.ProcessEnv): Language {
  const index = args.findIndex((a) => a === "--lang" || a.startsWith("--lang="));
  const flag = index < 0 ? undefined : args[index]?.includes("=") ? args[index]?.split("=")[1] : args[index + 1];
  return [flag, env.CHIBO_LANG, env.DEFAULT_LANGUAGE].find(isLanguage) ?? "vi";
}

/** Runs one admin command; resolves to the process exit code. */
export async function runCli(args: string[], io: CliIo): Promise<number> {
  const language = pickLanguage(args, io.env);
  const t = createTranslator({ defaultLanguage: language }).t(language);
  let config;
  try {
    config = parseConfig(io.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    for (const p of error.problems) io.err(describeConfigProblem(p, t));
    return 1;
  }
  const ctx = createCliContext({ config, t, language, clock: io.clock, out: io.out });
  const program = new Command("chibo");
  // Commander's own headings and errors, in the reader's language.
  const titles: Record<string, string> = { "Usage:": t("cli:titleUsage"), "Options:": t("cli:titleOptions"), "Commands:": t("cli:titleCommands"), "Arguments:": t("cli:titleArguments"), "Global Options:": t("cli:titleGlobalOptions") };
  const help = { styleTitle: (title: string) => titles[title] ?? title };
  program
    .description(t("cli:programDescription"))
    .option("--lang <vi|en>", t("cli:optLang"))
    .helpOption("-h, --help", t("cli:optHelp"))
    .helpCommand("help [command]", t("cli:helpCommand"))
    .configureHelp(help)
    .configureOutput({ writeOut: (s) => io.out(s.trimEnd()), writeErr: (s) => io.err(s.trimEnd()), outputError: () => undefined })
    .showHelpAfterError(false)
    .exitOverride();
  registerOrgCommands(program, ctx);
  registerMemberCommands(program, ctx);
  registerMeetingCommands(program, ctx);
  registerDemoCommand(program, ctx);
  registerAuditCommand(program, ctx);
  registerConsoleCommands(program, ctx);
  registerBackupCommands(program, ctx, { databaseUrl: config.DATABASE_URL, busyTimeoutMs: config.SQLITE_BUSY_TIMEOUT_MS });
  // Every sub-command shares the translated help and error handling.
  const applyToAll = (command: Command) => {
    for (const sub of command.commands) {
      sub.helpOption("-h, --help", t("cli:optHelp")).configureHelp(help).exitOverride();
      sub.configureOutput({ writeOut: (s) => io.out(s.trimEnd()), writeErr: (s) => io.err(s.trimEnd()), outputError: () => undefined });
      applyToAll(sub);
    }
  };
  applyToAll(program);

  try {
    if (args.length === 0) {
      program.outputHelp();
      return 0;
    }
    await program.parseAsync(args, { from: "user" });
    return ctx.exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === "commander.helpDisplayed" || error.code === "commander.help" || error.code === "commander.version") return 0;
      io.err(t(`cli:commander_${error.code.replace("commander.", "")}`, { detail: quoted(error.message), defaultValue: t("cli:commanderOther", { detail: error.message.replace(/^error: /, "") }) }));
      io.err(t("cli:seeHelp"));
      return 2;
    }
    if (isDomainError(error)) {
      io.err(t(error.code, { ...error.params, defaultValue: error.message }));
      return 1;
    }
    io.err(t("common:unexpectedError", { message: secrets.errorText(error) }));
    return 1;
  } finally {
    await ctx.close();
  }
}

function quoted(message: string): string {
  return /'([^']*)'/.exec(message)?.[1] ?? message.replace(/^error: /, "");
}

