import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createTranslator } from "../../src/i18n.ts";
import { addresseeLabel } from "../../src/services/addresseeLabel.ts";
import { feedbackWorld, type FeedbackWorld } from "./feedbackFixture.ts";
import { freshDatabase, type TestDatabase } from "../helpers/db.ts";

let database: TestDatabase;
let world: FeedbackWorld;
beforeEach(async () => {
  database = await freshDatabase();
  world = await feedbackWorld(database.prisma);
});
afterEach(() => database.cleanup());

const startsOf = async (code: string, from: string, count = 1) =>
  (await world.services.meetings.upcoming(code, { from: new Date(from), count })).meetings.map((m) => m.startsAt.toISOString());

describe("the committee above a cell", () => {
  it("is the nearest organization above with officers: a sub-branch without any is passed over", async () => {
    const { organizations } = world.services;
    await organizations.add({ level: "sub_branch", name: "Đảng bộ bộ phận Khối cơ quan", code: "khoi-cq", parentCode: "ha-ky" });
    const cell = await organizations.add({ level: "cell", name: "Chi bộ Công an xã", code: "ca-xa", parentCode: "khoi-cq", cellKind: "agency" });
    expect((await organizations.superiorOf(cell))?.code).toBe("ha-ky");
    await database.prisma.role.create({ data: { memberId: world.secretary.id, organizationId: (await organizations.findByCode("khoi-cq")).id, role: "secretary" } });
    expect((await organizations.superiorOf(cell))?.code).toBe("khoi-cq");
    // A commune whose reviewer left still has a province above with officers.
    await database.prisma.role.deleteMany({ where: { organizationId: world.commune.id } });
    expect((await organizations.superiorOf(world.village))?.code).toBe("hai-phong");
  });
});

describe("public holidays without operator input", () => {
  it("moves a meeting off New Year's Day and off 30 April – 3 May 2027 (1 May is a Saturday, so Monday 3 May is off)", async () => {
    const { organizations } = world.services;
    await organizations.add({ level: "cell", name: "Chi bộ tổ dân phố 1", code: "tdp-1", parentCode: "ha-ky", cellKind: "village", rule: { dayOfMonth: 1, time: "19:30", shiftOffDays: true } });
    await organizations.add({ level: "cell", name: "Chi bộ tổ dân phố 30", code: "tdp-30", parentCode: "ha-ky", cellKind: "village", rule: { dayOfMonth: 30, time: "19:30", shiftOffDays: true } });
    expect(await startsOf("tdp-1", "2026-12-15T00:00:00Z")).toEqual(["2027-01-04T12:30:00.000Z"]); // Monday 4 January
    expect(await startsOf("tdp-30", "2027-04-15T00:00:00Z")).toEqual(["2027-05-04T12:30:00.000Z"]); // Tuesday 4 May
    // The province makes 3 May a working day; a commune below it may still list it as a day off.
    expect(await organizations.removeHoliday("hai-phong", "2027-05-03")).toBe("working");
    expect(await startsOf("tdp-30", "2027-04-15T00:00:00Z")).toEqual(["2027-05-03T12:30:00.000Z"]);
    await organizations.addHoliday("ha-ky", "2027-05-03", "Nghỉ bù theo quyết định của xã");
    expect(await startsOf("tdp-30", "2027-04-15T00:00:00Z")).toEqual(["2027-05-04T12:30:00.000Z"]);
    expect(await organizations.removeHoliday("ha-ky", "2027-05-03")).toBe("removed");
    expect(await organizations.removeHoliday("ha-ky", "2027-05-05")).toBe("notOff");
  });

  it("lists a year's days off with where each comes from", async () => {
    await world.services.organizations.addHoliday("ha-ky", "2027-03-15", "Hội làng");
    const days = await world.services.organizations.holidays("thon-dong", 2027);
    expect(days.find((d) => d.date === "2027-02-06")).toMatchObject({ statutoryKey: "tet", dayOff: true, decidedBy: null });
    expect(days.find((d) => d.date === "2027-04-16")).toMatchObject({ statutoryKey: "hung_kings" });
    expect(days.find((d) => d.date === "2027-03-15")).toMatchObject({ name: "Hội làng", decidedBy: { code: "ha-ky" } });
    await expect(world.services.organizations.holidays("thon-dong", 1800)).rejects.toMatchObject({ code: "org:invalidYear" });
  });

  it("counts Tết out of the answer deadline of feedback", async () => {
    // Thursday 4 February 2027, 10:00: Tết 2027 keeps 5–11 February off (with days in lieu).
    const now = new Date("2027-02-04T03:00:00Z");
    await world.services.organizations.setScheduleSettings("ha-ky", { answerDeadlineWorkingDays: 1 });
    const { id } = await world.feedback.submit({ authorId: world.author.id, anonymous: false, addressee: "peoples_committee", category: "land", text: "Đường hỏng.", now });
    const item = await database.prisma.feedback.findUniqueOrThrow({ where: { id } });
    expect(item.dueAt?.toISOString()).toBe("2027-02-12T03:00:00.000Z");
  });
});

describe("feedback addressees per organization", () => {
  it("offers a commune's own body to its members only, stores it with its name and shows it to reviewers", async () => {
    const { organizations } = world.services;
    await organizations.addFeedbackAddressee("ha-ky", "Hội Nông dân xã Hà Kỳ");
    const mine = await world.feedback.addresseesFor(world.author.id);
    expect(mine).toMatchObject({ unitKind: "commune" });
    expect(mine.entries.map((e) => e.key)).toEqual(["party_committee", "peoples_council", "peoples_committee", "fatherland_front", "province", "hoi-nong-dan-xa-ha-ky"]);
    expect((await world.feedback.addresseesFor(world.farmer.id)).entries.map((e) => e.key)).not.toContain("hoi-nong-dan-xa-ha-ky");
    await expect(world.feedback.submit({ authorId: world.farmer.id, anonymous: false, addressee: "hoi-nong-dan-xa-ha-ky", category: "land", text: "Giống lúa.", now: new Date() }))
      .rejects.toMatchObject({ code: "feedback:unknownAddressee" });
    const { id } = await world.feedback.submit({ authorId: world.author.id, anonymous: false, addressee: "hoi-nong-dan-xa-ha-ky", category: "economy", text: "Đề nghị hỗ trợ giống lúa.", now: new Date() });
    const view = await world.feedback.view(id, world.reviewers.commune, new Date());
    expect(view).toMatchObject({ addressee: "hoi-nong-dan-xa-ha-ky", agencyName: "Hội Nông dân xã Hà Kỳ", unitKind: "commune" });
    const t = createTranslator().t("vi");
    expect(addresseeLabel(t, view, view.unitKind)).toBe("Hội Nông dân xã Hà Kỳ");
    // Removed from the list later: the item keeps its name.
    await organizations.removeFeedbackAddressee("ha-ky", "hoi-nong-dan-xa-ha-ky");
    expect((await world.feedback.view(id, world.reviewers.commune, new Date())).agencyName).toBe("Hội Nông dân xã Hà Kỳ");
    expect(addresseeLabel(t, { addressee: "peoples_committee" }, "ward")).toBe("Ủy ban nhân dân phường");
    expect(addresseeLabel(createTranslator().t("en"), { addressee: "province" }, "commune")).toBe("The province (through the commune party committee)");
  });
});
