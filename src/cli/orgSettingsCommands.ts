import type { Command } from "commander";
import { DomainError } from "../domain/errors.ts";
import { toLocal } from "../domain/localTime.ts";
import type { SettingSource } from "../domain/orgSettings.ts";
import { addresseeLabel } from "../services/addresseeLabel.ts";
import type { CliContext } from "./context.ts";
import { intOption } from "./options.ts";

/**
 * Settings any organization sets for its subtree (postponement limit, schedule, feedback
 * addressees, days off), shown with where each value comes from.
 */
export function registerOrgSettingsCommands(org: Command, ctx: CliContext): void {
  const { t } = ctx;
  const from = (source: SettingSource) => (source ? t("cli:settingFrom", { name: source.name, code: source.code }) : t("cli:settingDefault"));

  org.command("settings").argument("<org-code>", t("cli:argOrgCode")).description(t("cli:settingsDescription"))
    .action(async (code: string) => {
      const { organizations } = await ctx.services();
      const { org: found, settings } = await organizations.settings(code);
      ctx.out(t("cli:settingsTitle", { name: found.name, code: found.code }));
      ctx.out(`  maxPostponeDays = ${settings.maxPostponeDays}  ${from(settings.source.maxPostponeDays)}`);
      for (const [key, value] of Object.entries(settings.schedule)) {
        ctx.out(`  ${key} = ${JSON.stringify(value)}  ${from(settings.source[key as keyof typeof settings.schedule])}`);
      }
      ctx.out(`  addressees = ${settings.addressees.map((a) => a.key).join(", ")}  ${from(settings.source.addressees)}`);
      ctx.out(t("cli:settingsHint", { code: found.code }));
    });

  org.command("set-postpone-limit").argument("<org-code>", t("cli:argOrgCode")).argument("<days>", t("cli:argDays"))
    .description(t("cli:setPostponeLimitDescription"))
    .action(async (code: string, days: string) => {
      const { organizations } = await ctx.services();
      await organizations.setPostponeLimit(code, intOption("<days>", days));
      ctx.out(t("cli:postponeLimitSet", { code, days }));
    });

  org.command("schedule").argument("<org-code>", t("cli:argOrgCode")).argument("[settings-json]", t("cli:argScheduleJson"))
    .description(t("cli:scheduleDescription"))
    .action(async (code: string, json: string | undefined) => {
      const { organizations } = await ctx.services();
      if (json === undefined) {
        ctx.out(JSON.stringify(await organizations.scheduleSettings(code), null, 2));
        return;
      }
      let patch: unknown;
      try {
        patch = JSON.parse(json);
      } catch {
        throw new DomainError("org:scheduleSettingsNotObject");
      }
      const settings = await organizations.setScheduleSettings(code, patch);
      ctx.out(t("cli:scheduleSet", { code }));
      ctx.out(JSON.stringify(settings, null, 2));
    });

  org.command("unset").argument("<org-code>", t("cli:argOrgCode")).argument("<setting>", t("cli:argSetting")).description(t("cli:unsetDescription"))
    .action(async (code: string, key: string) => {
      const { organizations } = await ctx.services();
      const had = await organizations.unsetSetting(code, key);
      const { settings } = await organizations.settings(code);
      ctx.out(t(had ? "cli:settingUnset" : "cli:settingWasNotSet", { code, key, from: from(settings.source[key as keyof typeof settings.source]) }));
    });

  org.command("addressees").argument("<org-code>", t("cli:argOrgCode")).description(t("cli:addresseesDescription"))
    .option("--add <name>", t("cli:optAddresseeAdd"))
    .option("--remove <key>", t("cli:optAddresseeRemove"))
    .action(async (code: string, o: { add?: string; remove?: string }) => {
      const { organizations } = await ctx.services();
      if (o.add !== undefined) await organizations.addFeedbackAddressee(code, o.add);
      if (o.remove !== undefined) await organizations.removeFeedbackAddressee(code, o.remove);
      const { org: found, settings } = await organizations.settings(code);
      const unitKind = found.level === "base" ? found.unitKind : null;
      ctx.out(t("cli:addresseesTitle", { name: found.name, from: from(settings.source.addressees) }));
      for (const entry of settings.addressees) ctx.out(`  ${entry.key}: ${addresseeLabel(t, { addressee: entry.key, agencyName: entry.name }, unitKind)}`);
      ctx.out(`  agency: ${t("feedback:addressee_agency")}`);
    });

  org.command("add-holiday").argument("<org-code>", t("cli:argOrgCode")).argument("<date>", t("cli:argDate")).argument("<name>", t("cli:argHolidayName"))
    .description(t("cli:addHolidayDescription"))
    .action(async (code: string, date: string, name: string) => {
      const { organizations } = await ctx.services();
      await organizations.addHoliday(code, date, name);
      ctx.out(t("cli:holidayAdded", { code, date, name }));
    });

  org.command("remove-holiday").argument("<org-code>", t("cli:argOrgCode")).argument("<date>", t("cli:argDate"))
    .description(t("cli:removeHolidayDescription"))
    .action(async (code: string, date: string) => {
      const { organizations } = await ctx.services();
      const result = await organizations.removeHoliday(code, date);
      ctx.out(t(`cli:holiday_${result}`, { code, date }));
    });

  org.command("holidays").argument("<org-code>", t("cli:argOrgCode")).description(t("cli:holidaysDescription"))
    .option("--year <year>", t("cli:optYear"))
    .action(async (code: string, o: { year?: string }) => {
      const { organizations } = await ctx.services();
      const year = o.year === undefined ? toLocal(ctx.clock.now()).year : intOption("--year", o.year);
      const days = await organizations.holidays(code, year);
      ctx.out(t("cli:holidaysTitle", { code, year }));
      for (const day of days) {
        const name = day.name || t(`org:holiday_${day.statutoryKey}`) + (day.compensating ? ` ${t("org:holidayCompensating")}` : "");
        const decided = day.decidedBy ? t("cli:settingFrom", { name: day.decidedBy.name, code: day.decidedBy.code }) : t("cli:holidayStatutory");
        ctx.out(`  ${day.date}  ${day.dayOff ? name : t("cli:holidayWorking", { name })}  ${decided}`);
      }
    });
}
