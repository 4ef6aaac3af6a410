import fs from "node:fs";
import path from "node:path";
import i18next, { type i18n, type TFunction } from "i18next";

export const LANGUAGES = ["vi", "en"] as const;
export type Language = (typeof LANGUAGES)[number];
export const LOCALES_DIR = path.resolve(import.meta.dirname, "../locales");

export function isLanguage(value: unknown): value is Language {
  return typeof value === "string" && (LANGUAGES as readonly string[]).includes(value);
}

/** Every file locales/<language>/<namespace>.json, read once at start. */
function loadResources(dir: string): Record<string, Record<string, object>> {
  const resources: Record<string, Record<string, object>> = {};
  for (const language of LANGUAGES) {
    resources[language] = {};
    for (const file of fs.readdirSync(path.join(dir, language))) {
      if (!file.endsWith(".json")) continue;
      const namespace = file.slice(0, -".json".length);
      resources[language][namespace] = JSON.parse(fs.readFileSync(path.join(dir, language, file), "utf8"));
    }
  }
  return resources;
}

export interface Translator {
  instance: i18n;
  /** A translator fixed to one language, for code with no chat context (CLI, jobs). */
  t(language: Language): TFunction;
}

export function createTranslator(options: { defaultLanguage?: Language; dir?: string } = {}): Translator {
  const resources = loadResources(options.dir ?? LOCALES_DIR);
  const instance = i18next.createInstance();
  void instance.init({
    initAsync: false,
    resources,
    lng: options.defaultLanguage ?? "vi",
    fallbackLng: "vi",
    ns: Object.keys(resources.vi ?? {}),
    defaultNS: "common",
    // Chat text is not HTML; each channel escapes for its own parse mode at the edge.
    interpolation: { escapeValue: false },
    returnNull: false,
  });
  return { instance, t: (language) => instance.getFixedT(language) };
}
