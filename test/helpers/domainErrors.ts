import { expect } from "vitest";
import { DomainError } from "../../src/domain/errors.ts";
import { createTranslator } from "../../src/i18n.ts";

const translator = createTranslator();

/** The Vietnamese sentence a person would read for a domain error. */
export const vietnamese = (error: DomainError): string => translator.t("vi")(error.code, error.params);

/** Asserts the error and that both locales can say it with every placeholder filled. */
export function expectDomainError(act: () => unknown, code: string, message: string): DomainError {
  let caught: unknown;
  try {
    act();
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(DomainError);
  const error = caught as DomainError;
  expect(error.code).toBe(code);
  expect(error.message).toBe(message);
  for (const lng of ["vi", "en"] as const) {
    expect(translator.instance.exists(code, { lng })).toBe(true);
    expect(translator.t(lng)(code, error.params)).not.toContain("{{");
  }
  return error;
}
