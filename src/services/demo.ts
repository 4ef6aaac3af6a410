import { toLocal } from "../domain/localTime.ts";
import type { Db, Tx } from "../storage/database.ts";
import { audit, type Actor } from "./audit.ts";
import { DEMO_CELLS, DEMO_COMMUNE, DEMO_LARGE_COMMUNE, DEMO_PROVINCE, seededRandom } from "./demoData.ts";
import { buildLargeDemo } from "./demoLarge.ts";
import { demoNamesTaken, demoPerson, demoRoles } from "./demoPeople.ts";
import type { InviteService } from "./invites.ts";
import type { OrganizationService } from "./organizations.ts";

export interface DemoMember {
  id: number;
  fullName: string;
  phone: string | null;
  cell: string;
  cellCode: string;
  roles: string[];
  inviteCode: string;
  inviteExpiresAt: string;
}

/**
 * The demo data: a fictional province with a small commune (three village cells meeting on the
 * 7th and a school cell on the first Thursday, 60 members), and on request a large merged commune
 * of realistic size (`loadLarge`). Each is built once, in one transaction; asking again says
 * what exists.
 */
export function createDemoService(deps: { db: Db; organizations: OrganizationService; invites: InviteService }) {
  const { db, organizations, invites } = deps;

  /** The small demo, built if missing, with a fresh invite code for each of its members. */
  async function load(now: Date, actor: Actor): Promise<{ created: boolean; members: DemoMember[] }> {
    const exists = await db.organization.findUnique({ where: { code: DEMO_COMMUNE.code } });
    if (!exists) {
      await db.$transaction(async (tx) => {
        const province = await provinceWith(tx);
        await buildSmall(tx, province.code, now, actor);
      }, { maxWait: 10_000, timeout: 60_000 });
    }
    const members = await db.member.findMany({
      where: { cell: { path: { startsWith: (await organizations.findByCode(DEMO_COMMUNE.code)).path } } },
      include: { cell: true, roles: true },
      orderBy: { id: "asc" },
    });
    const result: DemoMember[] = [];
    for (const member of members) {
      const invite = await invites.issue(member.id, now, actor);
      result.push({
        id: member.id,
        fullName: member.fullName,
        phone: member.phone,
        cell: member.cell.name,
        cellCode: member.cell.code,
        roles: member.roles.map((r) => r.role),
        inviteCode: invite.code,
        inviteExpiresAt: invite.expiresAt.toISOString(),
      });
    }
    await audit(db, now, { actor, action: "read", subjectType: "Member", detail: `demo: ${result.length} members listed` });
    return { created: !exists, members: result };
  }

  /** The large demo commune, built if missing; answers what it holds. */
  async function loadLarge(now: Date, actor: Actor) {
    const exists = await db.organization.findUnique({ where: { code: DEMO_LARGE_COMMUNE.code } });
    if (!exists) {
      await db.$transaction(async (tx) => {
        const province = await provinceWith(tx);
        await buildLargeDemo({ tx, organizations, provinceCode: province.code, today: toLocal(now), now, actor });
      }, { maxWait: 10_000, timeout: 300_000 });
    }
    const commune = await organizations.findByCode(DEMO_LARGE_COMMUNE.code);
    const inCommune = { path: { startsWith: commune.path } };
    const [cells, members, withoutPhone, probationary, exempt, officers] = await Promise.all([
      db.organization.count({ where: { ...inCommune, level: "cell" } }),
      db.member.count({ where: { cell: inCommune } }),
      db.member.count({ where: { cell: inCommune, phone: null } }),
      db.member.count({ where: { cell: inCommune, status: "probationary" } }),
      db.member.count({ where: { cell: inCommune, exemption: { not: "none" } } }),
      db.role.count({ where: { organization: inCommune, role: { not: "member" } } }),
    ]);
    return { created: !exists, commune, cells, members, withoutPhone, probationary, exempt, officers };
  }

  /** The demo province, created when neither demo made it yet. */
  async function provinceWith(tx: Tx) {
    return (await tx.organization.findUnique({ where: { code: DEMO_PROVINCE.code } }))
      ?? organizations.addWith(tx, { level: "province", ...DEMO_PROVINCE });
  }

  async function buildSmall(tx: Tx, provinceCode: string, now: Date, actor: Actor): Promise<void> {
    const random = seededRandom(2026);
    const today = toLocal(now);
    let serial = 0;
    const taken = await demoNamesTaken(tx, provinceCode);
    const province = await organizations.findByCode(provinceCode, tx);
    const commune = await organizations.addWith(tx, { level: "base", unitKind: "commune", ...DEMO_COMMUNE, parentCode: provinceCode });
    for (const spec of DEMO_CELLS) {
      const cell = await organizations.addWith(tx, {
        level: "cell", code: spec.code, name: spec.name, parentCode: commune.code, cellKind: spec.kind,
        rule: { ...spec.rule, place: spec.place, shiftOffDays: true },
      });
      for (let i = 0; i < spec.size; i++) {
        serial++;
        const member = await tx.member.create({ data: demoPerson({ random, kind: spec.kind, i, size: spec.size, serial, today, phonePrefix: "09000", cellId: cell.id, taken }) });
        for (const role of demoRoles(i)) await tx.role.create({ data: { memberId: member.id, organizationId: cell.id, role } });
        // The first village cell's deputy secretary also reviews feedback for the commune and
        // administers its console (the commune office's work), and its committee member reviews
        // for the province.
        if (spec === DEMO_CELLS[0] && i === 1) {
          await tx.role.create({ data: { memberId: member.id, organizationId: commune.id, role: "reviewer" } });
          await tx.role.create({ data: { memberId: member.id, organizationId: commune.id, role: "administrator" } });
        }
        if (spec === DEMO_CELLS[0] && i === 2) await tx.role.create({ data: { memberId: member.id, organizationId: province.id, role: "reviewer" } });
      }
    }
    await audit(tx, now, { actor, action: "create", subjectType: "Member", detail: `demo commune: ${serial} members` });
  }

  return { load, loadLarge };
}
