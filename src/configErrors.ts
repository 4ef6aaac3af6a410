import type { TFunction } from "i18next";
import { z } from "zod";

/** What a variable must hold, as far as a sentence needs to say it. */
export type ConfigExpectation =
  | { kind: "integer" | "number"; min?: number; max?: number }
  | { kind: "oneOf"; values: string[] }
  | { kind: "boolean" }
  | { kind: "url" }
  /** A shape of its own (a token, a key, a list of hosts): its sentence is `common:configExpect_<VARIABLE>`. */
  | { kind: "format"; hint: string }
  | { kind: "neededWith"; given: string[] }
  | { kind: "notAbove"; other: string; otherValue: number };

/** One wrong setting: the variable, what it holds (unset: undefined) and what it should. */
export interface ConfigProblem {
  variable: string;
  value: string | undefined;
  expected: ConfigExpectation;
  /** The same in English, for logs and the error's message. */
  problem: string;
}

/** Tokens, keys and secrets are never echoed: a start log or a terminal may be seen by others. */
const SECRET_VARIABLE = /TOKEN|SECRET/;
const SHOWN_VALUE_MAX = 60;

/** Reads a zod issue on one variable into what its sentence needs, with the schema for the full range. */
export function problemFromIssue(issue: z.core.$ZodIssue, schema: z.ZodType | undefined, value: string | undefined): ConfigProblem {
  const variable = String(issue.path[0] ?? "?");
  return { variable, value, expected: expectationOf(issue, schema), problem: issue.message };
}

function expectationOf(issue: z.core.$ZodIssue, schema: z.ZodType | undefined): ConfigExpectation {
  const inner = unwrap(schema);
  if (inner instanceof z.ZodNumber) {
    const bound = (value: number | null) => (value === null || !Number.isFinite(value) || Math.abs(value) >= Number.MAX_SAFE_INTEGER ? undefined : value);
    return { kind: inner.isInt ? "integer" : "number", min: bound(inner.minValue), max: bound(inner.maxValue) };
  }
  if (issue.code === "invalid_value") {
    return "expected" in issue && issue.expected === "stringbool" ? { kind: "boolean" } : { kind: "oneOf", values: issue.values.map(String) };
  }
  if (issue.code === "invalid_format" && issue.format === "url") return { kind: "url" };
  return { kind: "format", hint: issue.message };
}

function unwrap(schema: z.ZodType | undefined): z.ZodType | undefined {
  if (schema instanceof z.ZodDefault || schema instanceof z.ZodOptional) return unwrap(schema.unwrap() as z.ZodType);
  return schema;
}

/**
 * The sentence for one wrong setting, in the reader's language: the variable, what it must be and
 * what it is (a secret's length, never its value).
 */
export function describeConfigProblem(p: ConfigProblem, t: TFunction): string {
  // A variable of a shape of its own says it in its own words; ranges and lists speak for themselves.
  const own = p.expected.kind === "format" || p.expected.kind === "url" ? t(`common:configExpect_${p.variable}`, { defaultValue: "" }) : "";
  const expected = own || expectedText(p.expected, t);
  if (p.value === undefined) return t("common:configInvalid", { variable: p.variable, problem: expected });
  const problem = SECRET_VARIABLE.test(p.variable)
    ? t("common:configIsSecret", { expected, length: [...p.value].length })
    : t("common:configIs", { expected, value: shown(p.value) });
  return t("common:configInvalid", { variable: p.variable, problem });
}

function expectedText(expected: ConfigExpectation, t: TFunction): string {
  switch (expected.kind) {
    case "integer":
    case "number": {
      const { min, max } = expected;
      const range = min !== undefined && max !== undefined ? "Between" : min !== undefined ? "AtLeast" : max !== undefined ? "AtMost" : "";
      return t(`common:configExpect${expected.kind === "integer" ? "Integer" : "Number"}${range}`, { min, max });
    }
    case "oneOf":
      return t("common:configExpectOneOf", { values: expected.values.join(", ") });
    case "boolean":
      return t("common:configExpectBoolean");
    case "url":
      return t("common:configExpectUrl");
    case "format":
      return t("common:configExpectFormat", { hint: expected.hint });
    case "neededWith":
      return t("common:configExpectNeededWith", { given: expected.given.join(", ") });
    case "notAbove":
      return t("common:configExpectNotAbove", { other: expected.other, otherValue: expected.otherValue });
  }
}

/** A value as typed, on one line and not too long to read. */
function shown(value: string): string {
  const oneLine = value.replace(/[\p{Cc}\p{Cf}]+/gu, " ");
  const chars = [...oneLine];
  return chars.length > SHOWN_VALUE_MAX ? `${chars.slice(0, SHOWN_VALUE_MAX).join("")}…` : oneLine;
}
