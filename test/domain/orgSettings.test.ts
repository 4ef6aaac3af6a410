import { describe, expect, it } from "vitest";
import { addAddressee, addresseesFrom, DEFAULT_ADDRESSEES, removeAddressee } from "../../src/domain/addressees.ts";
import { checkParent, type OrgLevel } from "../../src/domain/organization.ts";
import { ownScheduleFrom, resolveListedDays, resolveSettings, type SettingsLayer } from "../../src/domain/orgSettings.ts";
import { DEFAULT_SCHEDULE_SETTINGS } from "../../src/domain/scheduleSettings.ts";
import { expectDomainError } from "../helpers/domainErrors.ts";

const layer = (id: number, own: Partial<SettingsLayer["own"]> = {}): SettingsLayer => ({
  org: { id, code: `o${id}`, name: `Org ${id}` },
  own: { maxPostponeDays: null, schedule: {}, addressees: null, ...own },
});

describe("settings inherited down the tree", () => {
  it("gives the defaults, each from nowhere, when nobody sets anything", () => {
    const effective = resolveSettings([layer(1), layer(2), layer(3)]);
    expect(effective.schedule).toEqual(DEFAULT_SCHEDULE_SETTINGS);
    expect(effective.maxPostponeDays).toBe(2);
    expect(effective.addressees).toEqual(DEFAULT_ADDRESSEES);
    expect(Object.values(effective.source).every((s) => s === null)).toBe(true);
  });

  it("takes each value from the nearest organization that sets it", () => {
    const province = layer(1, { maxPostponeDays: 3, schedule: { dailyAt: "06:30", absenceLimit: 4 } });
    const commune = layer(2, { schedule: { dailyAt: "07:15" }, addressees: [{ key: "party_committee" }] });
    const cell = layer(3, { maxPostponeDays: 1 });
    const effective = resolveSettings([province, commune, cell]);
    expect(effective).toMatchObject({ maxPostponeDays: 1, schedule: { dailyAt: "07:15", absenceLimit: 4, nudge: DEFAULT_SCHEDULE_SETTINGS.nudge }, addressees: [{ key: "party_committee" }] });
    expect(effective.source.maxPostponeDays?.code).toBe("o3");
    expect(effective.source.dailyAt?.code).toBe("o2");
    expect(effective.source.absenceLimit?.code).toBe("o1");
    expect(effective.source.addressees?.code).toBe("o2");
    expect(effective.source.reminders).toBeNull();
    // Above the commune, the commune's values do not apply.
    expect(resolveSettings([province]).schedule.dailyAt).toBe("06:30");
  });

  it("reads only the keys an organization set, leaving out one that no longer validates", () => {
    expect(ownScheduleFrom('{"dailyAt":"07:15","absenceLimit":99,"colour":"red"}')).toEqual({ dailyAt: "07:15" });
    expect(ownScheduleFrom("not json")).toEqual({});
    expect(ownScheduleFrom(null)).toEqual({});
  });
});

describe("days listed on organizations", () => {
  it("lets the nearest organization that lists a date decide: a day off, or a working day", () => {
    const listed = [
      { organizationId: 1, date: "2027-02-05", name: "Tết", dayOff: true },
      { organizationId: 1, date: "2027-09-03", name: "Quốc khánh", dayOff: true },
      { organizationId: 2, date: "2027-09-03", name: "Làm bù", dayOff: false },
      { organizationId: 3, date: "2027-03-15", name: "Hội làng", dayOff: true },
      { organizationId: 9, date: "2027-03-16", name: "Another tree", dayOff: true },
    ];
    const atCell = resolveListedDays([1, 2, 3], listed);
    expect([...atCell.off].sort()).toEqual(["2027-02-05", "2027-03-15"]);
    expect([...atCell.working]).toEqual(["2027-09-03"]);
    const atProvince = resolveListedDays([1], listed);
    expect([...atProvince.off].sort()).toEqual(["2027-02-05", "2027-09-03"]);
  });
});

describe("an organization's own feedback addressees", () => {
  it("adds a named body with a key made from its name, never twice, and removes by key", () => {
    const added = addAddressee(DEFAULT_ADDRESSEES, "  Hội Nông dân  xã ");
    expect(added.at(-1)).toEqual({ key: "hoi-nong-dan-xa", name: "Hội Nông dân xã" });
    expectDomainError(() => addAddressee(added, "Hội nông dân xã"), "org:addresseeExists", "org:addresseeExists");
    expectDomainError(() => addAddressee(added, "  "), "org:addresseeNameRequired", "org:addresseeNameRequired");
    const removed = removeAddressee(added, "province");
    expect(removed.map((e) => e.key)).not.toContain("province");
    expectDomainError(() => removeAddressee(removed, "nobody"), "org:addresseeNotFound", "org:addresseeNotFound");
    expectDomainError(() => removeAddressee([{ key: "party_committee" }], "party_committee"), "org:addresseeListEmpty", "org:addresseeListEmpty");
  });

  it("reads a stored list, and nothing from a text that is not one", () => {
    expect(addresseesFrom('[{"key":"party_committee"},{"key":"x","name":"X"}]')).toEqual([{ key: "party_committee" }, { key: "x", name: "X" }]);
    expect(addresseesFrom('{"key":"a"}')).toBeNull();
    expect(addresseesFrom('[{"name":"no key"}]')).toBeNull();
  });
});

describe("which level may sit under which", () => {
  it.each([
    ["province", null, true], ["base", "province", true], ["base", null, true], ["sub_branch", "base", true], ["cell", "sub_branch", true],
    ["cell", "base", true], ["cell", "province", true], ["province", "province", false], ["sub_branch", "province", false], ["cell", "cell", false],
    ["base", "base", false], ["cell", null, false],
  ] as [OrgLevel, OrgLevel | null, boolean][])("%s under %s: %s", (level, parent, allowed) => {
    if (allowed) expect(() => checkParent(level, parent)).not.toThrow();
    else expectDomainError(() => checkParent(level, parent), "org:wrongParent", "org:wrongParent");
  });
});
