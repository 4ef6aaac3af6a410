import { DomainError } from "../domain/errors.ts";

/** A whole number given on the command line, or a message naming the option. */
export function intOption(option: string, value: string): number {
  if (!/^-?\d+$/.test(value.trim())) throw new DomainError("cli:notANumber", { option, value });
  return Number(value);
}
