import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { freshDatabase, type TestDatabase } from "../helpers/db.ts";
import { feedbackWorld, LAND, NOW, type FeedbackWorld } from "./feedbackFixture.ts";

let database: TestDatabase;
let world: FeedbackWorld;
/** A second province with one commune, one cell, a member and the commune's reviewer. */
let other: { provinceId: number; authorId: number; reviewerId: number };

beforeEach(async () => {
  database = await freshDatabase();
  world = await feedbackWorld(database.prisma);
  const { organizations } = world.services;
  const province = await organizations.add({ level: "province", name: "Tỉnh ủy Hưng Yên", code: "hung-yen" });
  await organizations.add({ level: "base", name: "Đảng ủy xã Phù Ủng", code: "phu-ung", parentCode: "hung-yen" });
  const cell = await organizations.add({ level: "cell", name: "Chi bộ thôn Thượng", code: "thon-thuong", parentCode: "phu-ung", cellKind: "village" });
  const member = (fullName: string, phone: string) =>
    database.prisma.member.create({ data: { fullName, searchName: fullName.toLowerCase(), status: "full", cellId: cell.id, phone } });
  const author = await member("Phạm Thị Hưng", "0987000001");
  const reviewer = await member("Lưu Văn Yên", "0987000002");
  await database.prisma.role.create({ data: { memberId: reviewer.id, organizationId: province.id, role: "reviewer" } });
  other = { provinceId: province.id, authorId: author.id, reviewerId: reviewer.id };
});
afterEach(() => database.cleanup());

const submit = (authorId: number, change: Record<string, unknown> = {}, now = NOW) =>
  world.feedback.submit({ authorId, anonymous: false, ...LAND, ...change, now });
const counter = async (topOrganizationId: number, year = 2026) =>
  (await database.prisma.sequence.findUnique({ where: { key: `feedback:${topOrganizationId}:${year}` } }))?.value;

describe("references numbered per top organization", () => {
  it("gives each province its own GY-2026-000001, 000002, …, whatever the other does in between", async () => {
    const a1 = await submit(world.author.id);
    const b1 = await submit(other.authorId);
    const b2 = await submit(other.authorId);
    const a2 = await submit(world.teacher.id);
    expect([a1.reference, a2.reference]).toEqual(["GY-2026-000001", "GY-2026-000002"]);
    expect([b1.reference, b2.reference]).toEqual(["GY-2026-000001", "GY-2026-000002"]);
    const stored = await database.prisma.feedback.findMany({ orderBy: { id: "asc" }, select: { reference: true, topOrganizationId: true } });
    expect(stored.map((f) => f.topOrganizationId)).toEqual([world.province.id, other.provinceId, other.provinceId, world.province.id]);
    expect([await counter(world.province.id), await counter(other.provinceId)]).toEqual([2, 2]);
  });

  it("gives submissions at once in two provinces distinct numbers in each", async () => {
    const results = await Promise.all(Array.from({ length: 16 }, (_, i) => submit(i % 2 ? world.author.id : other.authorId)));
    const numbers = async (topOrganizationId: number) =>
      (await database.prisma.feedback.findMany({ where: { topOrganizationId }, select: { reference: true } })).map((f) => f.reference).sort();
    const eight = Array.from({ length: 8 }, (_, i) => `GY-2026-00000${i + 1}`);
    expect(await numbers(world.province.id)).toEqual(eight);
    expect(await numbers(other.provinceId)).toEqual(eight);
    expect(results).toHaveLength(16);
  });

  it("never gives a number twice, even when the latest item is gone", async () => {
    await submit(world.author.id);
    const second = await submit(world.author.id);
    await database.prisma.feedbackEvent.deleteMany({ where: { feedbackId: second.id } });
    await database.prisma.feedback.delete({ where: { id: second.id } });
    expect((await submit(world.author.id)).reference).toBe("GY-2026-000003");
  });

  it("goes on after the largest reference of its own province in a database numbered before counters existed", async () => {
    // One sequence for the whole database, as it used to be: 1, 2 and 5 in one province, 3 and 4 in the other.
    const old = async (reference: string, authorId: number, cellId: number, topOrganizationId: number) =>
      database.prisma.feedback.create({ data: { reference, topOrganizationId, authorId, cellId, addressee: "party_committee", category: "other", text: "Cũ", createdAt: NOW } });
    const otherCell = (await database.prisma.organization.findUniqueOrThrow({ where: { code: "thon-thuong" } })).id;
    await old("GY-2026-000001", world.author.id, world.village.id, world.province.id);
    await old("GY-2026-000002", world.author.id, world.village.id, world.province.id);
    await old("GY-2026-000003", other.authorId, otherCell, other.provinceId);
    await old("GY-2026-000004", other.authorId, otherCell, other.provinceId);
    await old("GY-2026-000005", world.author.id, world.village.id, world.province.id);
    await old("GY-2025-000090", world.author.id, world.village.id, world.province.id);
    expect(await database.prisma.sequence.count()).toBe(0);
    expect((await submit(world.author.id)).reference).toBe("GY-2026-000006");
    expect((await submit(other.authorId)).reference).toBe("GY-2026-000005");
    expect((await submit(world.author.id)).reference).toBe("GY-2026-000007");
  });

  it("moves a counter that fell behind the stored references past them instead of failing", async () => {
    await submit(world.author.id);
    await submit(world.author.id);
    await submit(world.author.id);
    // A counter restored from an older copy, say.
    await database.prisma.sequence.update({ where: { key: `feedback:${world.province.id}:2026` }, data: { value: 1 } });
    expect((await submit(world.author.id)).reference).toBe("GY-2026-000004");
    expect(await counter(world.province.id)).toBe(4);
    expect((await submit(world.author.id)).reference).toBe("GY-2026-000005");
  });
});

describe("finding an item by its reference", () => {
  it("finds the reviewer's own province's item, never the other's with the same number", async () => {
    // The other province's item is stored first: a lookup by reference alone would find it.
    const theirs = await submit(other.authorId);
    const ours = await submit(world.author.id);
    expect([theirs.reference, ours.reference]).toEqual(["GY-2026-000001", "GY-2026-000001"]);
    expect(await world.feedback.findByReference("GY-2026-000001", world.reviewers.commune)).toEqual([
      { id: ours.id, topOrganizationId: world.province.id, topOrganizationName: "Thành ủy Hải Phòng" },
    ]);
    expect(await world.feedback.findByReference("GY-2026-000001", await world.viewerOf(other.reviewerId))).toMatchObject([{ id: theirs.id }]);
  });

  it("says 'not found', word for word as for a reference nobody has, for one only another province has", async () => {
    await submit(world.author.id);
    await submit(other.authorId);
    await submit(other.authorId);
    const reviewer = world.reviewers.commune;
    const onlyTheirs = world.feedback.findByReference("GY-2026-000002", reviewer);
    await expect(onlyTheirs).rejects.toMatchObject({ code: "feedback:notFound", params: { value: "GY-2026-000002" } });
    await expect(world.feedback.findByReference("GY-2026-000099", reviewer)).rejects.toMatchObject({ code: "feedback:notFound", params: { value: "GY-2026-000099" } });
    // Another commune of the same province: its reference is out of reach too.
    const { id } = await submit(world.farmer.id);
    const ref = (await database.prisma.feedback.findUniqueOrThrow({ where: { id } })).reference;
    await expect(world.feedback.findByReference(ref, reviewer)).rejects.toMatchObject({ code: "feedback:notFound", params: { value: ref } });
    await expect(world.feedback.findByReference("GY-2026-000001", await world.viewerOf(world.secretary.id))).rejects.toMatchObject({ code: "feedback:notFound" });
  });

  it("offers both items to someone who reviews in both provinces", async () => {
    const ours = await submit(world.author.id);
    const theirs = await submit(other.authorId);
    await database.prisma.role.create({ data: { memberId: world.reviewers.province.memberId, organizationId: other.provinceId, role: "reviewer" } });
    const matches = await world.feedback.findByReference("GY-2026-000001", await world.viewerOf(world.reviewers.province.memberId));
    expect(matches.map((m) => [m.id, m.topOrganizationName])).toEqual([[ours.id, "Thành ủy Hải Phòng"], [theirs.id, "Tỉnh ủy Hưng Yên"]]);
  });
});
