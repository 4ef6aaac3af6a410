import { allows } from "../../src/domain/consoleAccess.ts";
import type { MemberRoles } from "../../src/domain/authorization.ts";
import { searchKey } from "../../src/domain/text.ts";
import type { Organization } from "../../src/generated/prisma/client.ts";
import type { MeetingViewer } from "../../src/services/meetingScope.ts";
import { freshDatabase, type TestDatabase } from "../helpers/db.ts";
import { buildServices, buildSmallTree } from "../helpers/services.ts";

/** 7 December 2026 19:30 in Vietnam: the village cell's regular meeting (a Monday). */
export const DEC_7 = new Date("2026-12-07T12:30:00Z");
export const at = (iso: string) => new Date(iso);

export interface MeetingWorld {
  database: TestDatabase;
  services: ReturnType<typeof buildServices>;
  tree: Awaited<ReturnType<typeof buildSmallTree>>;
  /** Another commune of the same province, with its own village cell. */
  other: { commune: Organization; cell: Organization };
  secretary: { id: number; viewer: MeetingViewer };
  /** Reviews the commune: sees every cell's meetings, changes none. */
  reviewer: { id: number; viewer: MeetingViewer };
  members: { id: number; fullName: string }[];
  member(name: string, cellId: number, extra?: Record<string, unknown>): Promise<{ id: number; fullName: string }>;
}

export function viewerOf(memberId: number, roles: MemberRoles): MeetingViewer {
  return { memberId, roles, may: (path, need) => allows(roles, "meetings", path, need) };
}

/** The small tree, a second commune, the village cell's secretary and four members, the commune's reviewer. */
export async function buildMeetingWorld(): Promise<MeetingWorld> {
  const database = await freshDatabase();
  const services = buildServices(database.prisma);
  const tree = await buildSmallTree(services);
  const otherCommune = await services.organizations.add({ level: "base", name: "Đảng ủy xã Tân Kỳ", code: "tan-ky", parentCode: "hai-phong" });
  const otherCell = await services.organizations.add({ level: "cell", name: "Chi bộ thôn Bắc", code: "thon-bac", parentCode: "tan-ky", cellKind: "village", rule: { dayOfMonth: 7, time: "19:30" } });
  const db = database.prisma;
  const member = async (fullName: string, cellId: number, extra: Record<string, unknown> = {}) => {
    const row = await db.member.create({ data: { fullName, searchName: searchKey(fullName), status: "full", cellId, ...extra } });
    return { id: row.id, fullName };
  };
  const secretary = await member("Trần Văn Bí", tree.village.id);
  await db.role.create({ data: { memberId: secretary.id, organizationId: tree.village.id, role: "secretary" } });
  const reviewer = await member("Lê Thị Duyệt", tree.school.id);
  await db.role.create({ data: { memberId: reviewer.id, organizationId: tree.commune.id, role: "reviewer" } });
  // Reachable in a chat: the committee above is told of a postponement.
  await db.chatIdentity.create({ data: { memberId: reviewer.id, channel: "telegram", externalUserId: "900", chatId: "900" } });
  const members = [
    await member("Nguyễn Văn An", tree.village.id),
    await member("Phạm Thị Bình", tree.village.id),
    await member("Hoàng Văn Cường", tree.village.id),
    await member("Đỗ Văn Dũng", tree.village.id, { exemption: "exempt", exemptionReason: "Tuổi cao", exemptionFrom: "2026-01-01" }),
  ];
  return {
    database, services, tree, other: { commune: otherCommune, cell: otherCell }, members, member,
    secretary: { id: secretary.id, viewer: viewerOf(secretary.id, [{ role: "secretary", organizationId: tree.village.id, orgPath: tree.village.path }]) },
    reviewer: { id: reviewer.id, viewer: viewerOf(reviewer.id, [{ role: "reviewer", organizationId: tree.commune.id, orgPath: tree.commune.path }]) },
  };
}
