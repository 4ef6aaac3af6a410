/**
 * Reading a command from what a person typed: with or without "/", with or without diacritics,
 * in any case ("/Lịch", "lich", "Lịch họp", "gop y"). Commands are compared by their key: the
 * words folded (foldVietnamese) with everything but letters and digits removed.
 */
import { COMMAND_PHRASES, NOT_BARE_COMMANDS } from "./commandWords.ts";
import { foldVietnamese } from "./text.ts";

/** A phrase is at most this many words ("lịch sinh hoạt chi bộ"). */
const MAX_PHRASE_WORDS = 5;

export const commandKey = (words: string) => foldVietnamese(words).replace(/[^\p{L}\p{N}]/gu, "");

/** Every way a command may be written, by key, to the command it means. */
export interface CommandBook {
  /** key → command name ("lichhop" → "lich"). */
  readonly byKey: ReadonlyMap<string, string>;
}

/** The book of these command names (each its own key) and their phrases from COMMAND_PHRASES. */
export function commandBook(names: readonly string[]): CommandBook {
  const byKey = new Map<string, string>();
  for (const name of names) byKey.set(commandKey(name), name);
  for (const name of names) {
    for (const phrase of COMMAND_PHRASES[name] ?? []) if (!byKey.has(commandKey(phrase))) byKey.set(commandKey(phrase), name);
  }
  return { byKey };
}

/** "/…" as typed: the command it names (undefined when none), its arguments, and the word as written. */
export interface SlashCommand {
  command?: string;
  args?: string;
  /** The first word as typed, without "/" and "@bot" ("xóa"): what an unknown command is called. */
  typed: string;
  /** The key of what was typed, to find the nearest command to an unknown one. */
  typedKeys: string[];
}

const SLASH = /^\/(\S+)/u;

/**
 * A text that starts with "/" and a word: the longest run of its first words that is a command
 * or a phrase of one ("/góp ý của tôi" is /gopycuatoi, "/lịch họp" is /lich), the rest its
 * arguments. Telegram's "@botname" after the first word is dropped. Null for other text.
 */
export function readSlashCommand(text: string, book: CommandBook): SlashCommand | null {
  const trimmed = text.trim();
  const first = SLASH.exec(trimmed);
  if (!first || !/^\p{L}/u.test(first[1]!)) return null;
  const head = first[1]!.replace(/@\w+$/u, "");
  const rest = trimmed.slice(first[0].length);
  // The words after the first, each with where it ends in `rest`, so arguments keep their spacing.
  const words: { word: string; end: number }[] = [];
  for (const match of rest.matchAll(/\S+/gu)) {
    if (words.length >= MAX_PHRASE_WORDS - 1) break;
    words.push({ word: match[0], end: match.index + match[0].length });
  }
  for (let n = words.length; n >= 0; n--) {
    const command = book.byKey.get(commandKey([head, ...words.slice(0, n).map((w) => w.word)].join(" ")));
    if (!command) continue;
    const args = rest.slice(n === 0 ? 0 : words[n - 1]!.end).trim();
    return { command, ...(args ? { args } : {}), typed: head, typedKeys: [] };
  }
  const typedKeys = [commandKey(head), ...(words[0] ? [commandKey(`${head} ${words[0].word}`)] : [])];
  return { typed: head, typedKeys };
}

/**
 * A whole message that is exactly a command or a phrase of one, without "/" ("lịch", "Lịch họp",
 * "huong dan"): the command, or undefined. Nothing more may come with it: "lịch họp tuần sau?"
 * is words, not a command.
 */
export function readBareCommand(text: string, book: CommandBook): string | undefined {
  const trimmed = text.trim();
  if (trimmed.startsWith("/") || trimmed.split(/\s+/u).length > MAX_PHRASE_WORDS) return undefined;
  const command = book.byKey.get(commandKey(trimmed));
  return command && !NOT_BARE_COMMANDS.has(command) ? command : undefined;
}

/**
 * The command nearest to an unknown one, by edit distance on the keys (a swap of two letters
 * counts once): "/lihc" → "lich", "/huongdam" → "huongdan". None when nothing is close enough:
 * at most one edit for a key of up to four letters, two for longer ones.
 */
export function nearestCommand(typedKeys: readonly string[], book: CommandBook, usable: (command: string) => boolean): string | undefined {
  let best: { command: string; distance: number } | undefined;
  for (const typed of typedKeys) {
    if (typed.length < 2) continue;
    const allowed = typed.length <= 4 ? 1 : 2;
    for (const [key, command] of book.byKey) {
      if (!usable(command)) continue;
      const distance = editDistance(typed, key);
      if (distance <= allowed && (!best || distance < best.distance)) best = { command, distance };
    }
  }
  return best?.command;
}

/** Levenshtein distance with adjacent transpositions (optimal string alignment). */
export function editDistance(a: string, b: string): number {
  const x = [...a];
  const y = [...b];
  const d = Array.from({ length: x.length + 1 }, (_, i) => Array.from({ length: y.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= x.length; i++) {
    for (let j = 1; j <= y.length; j++) {
      const cost = x[i - 1] === y[j - 1] ? 0 : 1;
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && x[i - 1] === y[j - 2] && x[i - 2] === y[j - 1]) d[i]![j] = Math.min(d[i]![j]!, d[i - 2]![j - 2]! + 1);
    }
  }
  return d[x.length]![y.length]!;
}
