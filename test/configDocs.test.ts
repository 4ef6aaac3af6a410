import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { CONFIG_VARIABLES, parseConfig } from "../src/config.ts";

const ROOT = path.resolve(import.meta.dirname, "..");
const README = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");
const ENV_EXAMPLE = fs.readFileSync(path.join(ROOT, ".env.example"), "utf8");
const DEFAULTS: Record<string, unknown> = parseConfig({});
const VARIABLE = /^[A-Z][A-Z0-9_]+$/;

/** The rows of the README's configuration table: the variables of each and the defaults it shows. */
function configurationTable(): { variables: string[]; defaults: string[] }[] {
  const section = README.split(/^## /m).find((part) => part.startsWith("Configuration\n")) ?? "";
  return section.split("\n")
    .filter((line) => line.startsWith("| `"))
    .map((line) => {
      const [names = "", defaults = ""] = line.split(" | ");
      const ticked = (text: string) => [...text.matchAll(/`([^`]+)`/g)].map((m) => m[1]!);
      return { variables: ticked(names), defaults: ticked(defaults) };
    });
}

/** Each `NAME=value` line of .env.example. */
function envExampleLines(): Map<string, string> {
  return new Map(ENV_EXAMPLE.split("\n").filter((line) => /^[A-Z][A-Z0-9_]+=/.test(line)).map((line) => {
    const [name, ...value] = line.split("=");
    return [name!, value.join("=")] as const;
  }));
}

describe("the configuration, as documented", () => {
  it("lists every variable chibo reads in the README's table, by its full name, and nothing else", () => {
    const documented = configurationTable().flatMap((row) => row.variables).filter((name) => VARIABLE.test(name));
    expect(CONFIG_VARIABLES.filter((name) => !documented.includes(name))).toEqual([]);
    expect(documented.filter((name) => !CONFIG_VARIABLES.includes(name))).toEqual([]);
  });

  it("shows in the README's table the default chibo uses", () => {
    for (const { variables, defaults } of configurationTable()) {
      // A row naming its defaults gives one per variable, in order; prose ("on while …") is not checked.
      if (defaults.length !== variables.length) continue;
      variables.forEach((name, i) => expect({ name, default: defaults[i] }).toEqual({ name, default: String(DEFAULTS[name]) }));
    }
  });

  it("has every variable in .env.example, with its default when it has one, and nothing else", () => {
    const lines = envExampleLines();
    expect(CONFIG_VARIABLES.filter((name) => !lines.has(name))).toEqual([]);
    expect([...lines.keys()].filter((name) => !CONFIG_VARIABLES.includes(name))).toEqual([]);
    for (const [name, value] of lines) {
      expect({ name, value }).toEqual({ name, value: DEFAULTS[name] === undefined ? "" : String(DEFAULTS[name]) });
    }
  });
});
