import { createOutbox } from "../../src/delivery/outbox.ts";
import { createTranslator } from "../../src/i18n.ts";
import { fixedClock } from "../../src/services/clock.ts";
import { createFeedbackService, type FeedbackViewer } from "../../src/services/feedback.ts";
import type { Db } from "../../src/storage/database.ts";
import { buildServices, buildSmallTree } from "../helpers/services.ts";

// Friday 25 September 2026, 10:00 in Vietnam.
export const NOW = new Date("2026-09-25T03:00:00Z");
export const DAY = 86_400_000;

/**
 * Tứ Kỳ's small tree plus a second commune, an author in each kind of cell, and committees:
 * Hà Kỳ's reviewer, the province's reviewer, the other commune's reviewer and a cell secretary.
 */
export async function feedbackWorld(db: Db) {
  const services = buildServices(db);
  const tree = await buildSmallTree(services);
  const otherCommune = await services.organizations.add({ level: "base", name: "Đảng ủy xã Tân Kỳ", code: "tan-ky", parentCode: "hai-phong" });
  const otherCell = await services.organizations.add({ level: "cell", name: "Chi bộ thôn Bắc", code: "thon-bac", parentCode: "tan-ky", cellKind: "village" });
  let n = 0;
  const member = async (fullName: string, cellId: number, extra: { language?: string; phone?: string } = {}) =>
    db.member.create({ data: { fullName, searchName: fullName.toLowerCase(), status: "full", cellId, ...extra, phone: extra.phone ?? `09000000${String(++n).padStart(2, "0")}` } });
  const author = await member("Nguyễn Văn Thành", tree.village.id, { phone: "0912345678" });
  const teacher = await member("Trần Thị Lan", tree.school.id, { language: "en" });
  const farmer = await member("Lê Văn Bắc", otherCell.id);
  const communeReviewer = await member("Phạm Văn Xã", tree.village.id);
  const provinceReviewer = await member("Đỗ Thị Huyện", tree.village.id);
  const otherReviewer = await member("Vũ Văn Khác", otherCell.id);
  const secretary = await member("Hoàng Văn Bí", tree.village.id);
  const role = (memberId: number, organizationId: number, name: string) => db.role.create({ data: { memberId, organizationId, role: name } });
  await role(communeReviewer.id, tree.commune.id, "reviewer");
  await role(provinceReviewer.id, tree.province.id, "reviewer");
  await role(otherReviewer.id, otherCommune.id, "reviewer");
  await role(secretary.id, tree.village.id, "secretary");
  const viewerOf = async (memberId: number): Promise<FeedbackViewer> => ({
    memberId,
    roles: await db.role.findMany({ where: { memberId }, select: { role: true, organizationId: true } }),
  });
  const clock = fixedClock(NOW);
  const outbox = createOutbox({ db, clock });
  const feedback = createFeedbackService({ db, outbox, translator: createTranslator() });
  return {
    services, feedback, outbox, clock, ...tree, otherCommune, otherCell,
    author, teacher, farmer, secretary,
    reviewers: { commune: await viewerOf(communeReviewer.id), province: await viewerOf(provinceReviewer.id), other: await viewerOf(otherReviewer.id) },
    viewerOf,
  };
}

export type FeedbackWorld = Awaited<ReturnType<typeof feedbackWorld>>;

export const LAND = { addressee: "peoples_committee", category: "land", text: "Đường liên thôn Đông bị sạt lở sau mưa, đề nghị xã sớm sửa chữa." } as const;
