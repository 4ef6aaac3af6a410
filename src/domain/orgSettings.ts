import { DEFAULT_ADDRESSEES, type AddresseeEntry } from "./addressees.ts";
import { DEFAULT_MAX_POSTPONE_DAYS } from "./postponement.ts";
import { DEFAULT_SCHEDULE_SETTINGS, ScheduleSettingsSchema, type ScheduleSettings } from "./scheduleSettings.ts";

/**
 * Settings are set on any organization and inherited by its subtree; the nearest organization
 * that sets a value wins, and what nobody sets keeps chibo's default. Pure: the caller reads the
 * chain of organizations from the top down to the one asked about.
 */
export interface OwnSettings {
  maxPostponeDays: number | null;
  /** Only the schedule keys this organization sets. */
  schedule: Partial<ScheduleSettings>;
  addressees: AddresseeEntry[] | null;
}

export interface SettingsLayer {
  org: { id: number; code: string; name: string };
  own: OwnSettings;
}

export type SettingKey = keyof ScheduleSettings | "maxPostponeDays" | "addressees";
export const SETTING_KEYS: readonly SettingKey[] = ["maxPostponeDays", ...(Object.keys(DEFAULT_SCHEDULE_SETTINGS) as (keyof ScheduleSettings)[]), "addressees"];

/** Where a value comes from: the organization that set it, or null for chibo's default. */
export type SettingSource = { id: number; code: string; name: string } | null;

export interface EffectiveSettings {
  schedule: ScheduleSettings;
  maxPostponeDays: number;
  addressees: AddresseeEntry[];
  source: Record<SettingKey, SettingSource>;
}

/** The settings that apply at the last organization of the chain (top first). */
export function resolveSettings(chain: readonly SettingsLayer[]): EffectiveSettings {
  const schedule: Record<string, unknown> = { ...DEFAULT_SCHEDULE_SETTINGS };
  let maxPostponeDays = DEFAULT_MAX_POSTPONE_DAYS;
  let addressees: AddresseeEntry[] = [...DEFAULT_ADDRESSEES];
  const source = Object.fromEntries(SETTING_KEYS.map((key) => [key, null])) as Record<SettingKey, SettingSource>;
  for (const { org, own } of chain) {
    const from = { id: org.id, code: org.code, name: org.name };
    if (own.maxPostponeDays !== null) {
      maxPostponeDays = own.maxPostponeDays;
      source.maxPostponeDays = from;
    }
    for (const [key, value] of Object.entries(own.schedule)) {
      schedule[key] = value;
      source[key as SettingKey] = from;
    }
    if (own.addressees) {
      addressees = own.addressees;
      source.addressees = from;
    }
  }
  return { schedule: schedule as ScheduleSettings, maxPostponeDays, addressees, source };
}

/**
 * The schedule keys an organization set, from their stored JSON. A key that no longer validates
 * (written by another version) is left out, so the inherited value applies instead.
 */
export function ownScheduleFrom(stored: string | null | undefined): Partial<ScheduleSettings> {
  if (!stored) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(stored);
  } catch {
    return {};
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) return {};
  const own: Record<string, unknown> = {};
  const shape = ScheduleSettingsSchema.shape as Record<string, { safeParse(v: unknown): { success: boolean; data?: unknown } }>;
  for (const [key, value] of Object.entries(parsed)) {
    const checked = shape[key]?.safeParse(value);
    if (checked?.success) own[key] = checked.data;
  }
  return own as Partial<ScheduleSettings>;
}

/** A day listed on an organization: a day off there, or (dayOff false) a working day there. */
export interface ListedDay {
  organizationId: number;
  date: string;
  name: string;
  dayOff: boolean;
}

/**
 * The listed days that apply at the last organization of the chain (ids top first): for each
 * date the nearest organization that lists it decides. `off` adds days off to the built-in ones,
 * `working` takes built-in or inherited days off away.
 */
export function resolveListedDays(chainIds: readonly number[], listed: readonly ListedDay[]): { off: Set<string>; working: Set<string>; decidedBy: Map<string, ListedDay> } {
  const depth = new Map(chainIds.map((id, i) => [id, i]));
  const decidedBy = new Map<string, ListedDay>();
  for (const day of listed) {
    const d = depth.get(day.organizationId);
    if (d === undefined) continue;
    const current = decidedBy.get(day.date);
    if (!current || depth.get(current.organizationId)! < d) decidedBy.set(day.date, day);
  }
  const off = new Set<string>();
  const working = new Set<string>();
  for (const [date, day] of decidedBy) (day.dayOff ? off : working).add(date);
  return { off, working, decidedBy };
}
