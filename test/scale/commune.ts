import Sqlite from "better-sqlite3";
import { searchKey } from "../../src/domain/text.ts";
import type { Organization } from "../../src/generated/prisma/client.ts";
import type { Services } from "../../src/services/index.ts";

/**
 * A commune party committee since 2025, at its real size: a province on top, the commune, and
 * village cells meeting on the 7th at 19:30. Members are written with plain SQL in one
 * transaction (thousands in a few milliseconds); everything else goes through the services.
 */
export async function buildCommune(services: Pick<Services, "organizations">, cells: number) {
  const { organizations } = services;
  const province = await organizations.add({ level: "province", name: "Tỉnh ủy Hải Phòng", code: "hai-phong" });
  const commune = await organizations.add({ level: "base", name: "Đảng ủy xã Hà Kỳ", code: "ha-ky", parentCode: "hai-phong" });
  const villages: Organization[] = [];
  for (let i = 1; i <= cells; i++) {
    villages.push(await organizations.add({ level: "cell", name: `Chi bộ thôn ${i}`, code: `thon-${i}`, parentCode: "ha-ky", cellKind: "village", rule: { dayOfMonth: 7, time: "19:30" } }));
  }
  return { province, commune, cells: villages };
}

export interface BulkMember {
  cellId: number;
  fullName: string;
  phone?: string;
  /** A Telegram chat (the person's user id, as on Telegram); none for a member without one. */
  telegramChat?: string;
  /** Roles beside the plain "member" of the cell. */
  roles?: { role: string; organizationId: number }[];
  language?: string;
}

/** A DateTime as the Prisma SQLite adapter stores it (ISO 8601 with an explicit offset). */
const stored = (at: Date) => at.toISOString().replace("Z", "+00:00");

/** Writes the members (their cell role, extra roles and Telegram chat) in one transaction; returns their ids in order. */
export function insertMembers(file: string, members: BulkMember[], at = new Date("2026-11-01T00:00:00Z")): number[] {
  const db = new Sqlite(file, { timeout: 10_000 });
  try {
    const when = stored(at);
    const member = db.prepare(`INSERT INTO "Member" ("fullName", "searchName", "phone", "status", "language", "cellId", "createdAt", "updatedAt") VALUES (?, ?, ?, 'full', ?, ?, ?, ?)`);
    const role = db.prepare(`INSERT INTO "Role" ("memberId", "organizationId", "role", "createdAt") VALUES (?, ?, ?, ?)`);
    const identity = db.prepare(`INSERT INTO "ChatIdentity" ("memberId", "channel", "externalUserId", "chatId", "linkedAt") VALUES (?, 'telegram', ?, ?, ?)`);
    return db.transaction(() =>
      members.map((m) => {
        const id = Number(member.run(m.fullName, searchKey(m.fullName), m.phone ?? null, m.language ?? "vi", m.cellId, when, when).lastInsertRowid);
        for (const r of [{ role: "member", organizationId: m.cellId }, ...(m.roles ?? [])]) role.run(id, r.organizationId, r.role, when);
        if (m.telegramChat) identity.run(id, m.telegramChat, m.telegramChat, when);
        return id;
      }),
    )();
  } finally {
    db.close();
  }
}

/** "Nguyễn Văn 0042": names that sort as they are numbered. */
export const memberName = (i: number) => `Nguyễn Văn ${String(i).padStart(4, "0")}`;
