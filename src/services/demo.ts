import { addDays, formatIsoDate, toLocal } from "../domain/localTime.ts";
import { searchKey } from "../domain/text.ts";
import type { Db } from "../storage/database.ts";
import { audit, type Actor } from "./audit.ts";
import {
  DEMO_CELLS, DEMO_COMMUNE, DEMO_DISTRICT, FAMILY_NAMES, GIVEN_NAMES_FEMALE, GIVEN_NAMES_MALE,
  MIDDLE_NAMES_FEMALE, MIDDLE_NAMES_MALE, pick, seededRandom,
} from "./demoData.ts";
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
 * Loads a demo district once (a commune with three village cells meeting on the 7th and a school
 * cell on the first Thursday, 60 members) and hands out fresh invite codes on every call.
 */
export function createDemoService(deps: { db: Db; organizations: OrganizationService; invites: InviteService }) {
  const { db, organizations, invites } = deps;

  async function load(now: Date, actor: Actor): Promise<{ created: boolean; members: DemoMember[] }> {
    const exists = await db.organization.findUnique({ where: { code: DEMO_DISTRICT.code } });
    if (!exists) await build(now, actor);
    const members = await db.member.findMany({
      where: { cell: { path: { startsWith: (await organizations.findByCode(DEMO_DISTRICT.code)).path } } },
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

  async function build(now: Date, actor: Actor): Promise<void> {
    const random = seededRandom(2026);
    const today = toLocal(now);
    let serial = 0;
    // One transaction: an interrupted demo leaves nothing behind and the next run starts afresh.
    await db.$transaction(async (tx) => {
      const district = await organizations.addWith(tx, { level: "district", ...DEMO_DISTRICT });
      const commune = await organizations.addWith(tx, { level: "base", ...DEMO_COMMUNE, parentCode: district.code });
      for (const spec of DEMO_CELLS) {
        const cell = await organizations.addWith(tx, {
          level: "cell", code: spec.code, name: spec.name, parentCode: commune.code, cellKind: spec.kind,
          rule: { ...spec.rule, place: spec.place },
        });
        for (let i = 0; i < spec.size; i++) {
          serial++;
          const female = random() < 0.45;
          const fullName = [
            pick(FAMILY_NAMES, random),
            pick(female ? MIDDLE_NAMES_FEMALE : MIDDLE_NAMES_MALE, random),
            pick(female ? GIVEN_NAMES_FEMALE : GIVEN_NAMES_MALE, random),
          ].join(" ");
          const age = spec.kind === "school" ? 25 + Math.floor(random() * 30) : 30 + Math.floor(random() * 50);
          const probationary = i === spec.size - 1;
          const admitted = probationary ? addDays(today, -200 - i) : { year: today.year - Math.min(age - 20, 5 + i * 2), month: 1 + (i % 12), day: 3 + i };
          const member = await tx.member.create({
            data: {
              fullName,
              searchName: searchKey(fullName),
              // Members over 75 in the demo have no phone: their secretary answers for them.
              phone: age > 75 ? null : `09000${String(serial).padStart(5, "0")}`,
              birthDate: formatIsoDate({ year: today.year - age, month: 1 + (serial % 12), day: 1 + (serial % 28) }),
              status: probationary ? "probationary" : "full",
              admittedOn: formatIsoDate(admitted),
              fullMembershipOn: probationary ? null : formatIsoDate({ ...admitted, year: admitted.year + 1 }),
              exemption: age > 78 ? "temporary" : "none",
              exemptionReason: age > 78 ? "Sức khỏe yếu, tuổi cao" : null,
              exemptionFrom: age > 78 ? formatIsoDate({ year: today.year, month: 1, day: 1 }) : null,
              exemptionUntil: age > 78 ? formatIsoDate({ year: today.year, month: 12, day: 31 }) : null,
              cellId: cell.id,
            },
          });
          const roles = ["member", ...(i === 0 ? ["secretary"] : i === 1 ? ["deputy_secretary"] : i === 2 ? ["committee_member"] : [])];
          for (const role of roles) await tx.role.create({ data: { memberId: member.id, organizationId: cell.id, role } });
          // The first village cell's deputy secretary also reviews feedback for the commune,
          // and its committee member for the district.
          if (spec === DEMO_CELLS[0] && i === 1) await tx.role.create({ data: { memberId: member.id, organizationId: commune.id, role: "reviewer" } });
          if (spec === DEMO_CELLS[0] && i === 2) await tx.role.create({ data: { memberId: member.id, organizationId: district.id, role: "reviewer" } });
        }
      }
      await tx.holiday.create({ data: { organizationId: district.id, date: `${today.year + 1}-01-01`, name: "Tết Dương lịch" } });
      await audit(tx, now, { actor, action: "create", subjectType: "Member", detail: `demo district: ${serial} members` });
    }, { maxWait: 10_000, timeout: 60_000 });
  }

  return { load };
}
