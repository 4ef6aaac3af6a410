import type { Button } from "../types.ts";

/** One numbered answer offered under a message, in place of a button the platform lacks. */
export interface Choice {
  label: string;
  payload: string;
}

/** Buttons in reading order (row by row, left to right): the order they are numbered in. */
export function choicesOf(buttons: Button[][] | undefined): Choice[] {
  return (buttons ?? []).flat().map(({ label, payload }) => ({ label, payload }));
}

/** "1. Có mặt\n2. Vắng": the list a person answers by number. */
export function numberedList(choices: Choice[]): string {
  return choices.map((choice, i) => `${i + 1}. ${choice.label}`).join("\n");
}

const NUMBER_REPLY = /^\s*(\d{1,3})\s*[.)]?\s*$/;

/**
 * The choice a reply picks: its number ("1", " 2 ", "2.") or exactly its label, read without
 * case, diacritics, emoji or punctuation ("co mat" picks "Có mặt"). Anything else picks nothing
 * and stays the text it is.
 */
export function matchChoice(text: string, choices: Choice[]): Choice | undefined {
  const number = NUMBER_REPLY.exec(text);
  if (number) return choices[Number(number[1]) - 1];
  const folded = foldForMatch(text);
  if (folded === "") return undefined;
  return choices.find((choice) => foldForMatch(choice.label) === folded);
}

/** Lower case, no diacritics (đ as d), letters and digits only, single spaces. */
export function foldForMatch(text: string): string {
  return text
    .normalize("NFD")
    .replace(/\p{M}/gu, "")
    .replace(/[đĐ]/g, "d")
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, " ")
    .trim();
}
