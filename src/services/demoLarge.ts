import type { LocalDate } from "../domain/localTime.ts";
import { rowsPerStatement } from "../storage/chunks.ts";
import type { Tx } from "../storage/database.ts";
import { audit, type Actor } from "./audit.ts";
import { DEMO_LARGE_COMMUNE, LARGE_DEMO_PREFIX, seededRandom, type DemoCell } from "./demoData.ts";
import { demoNamesTaken, demoPerson, demoRoles } from "./demoPeople.ts";
import type { OrganizationService } from "./organizations.ts";

const VILLAGES = [
  "Phú An", "Phú Bình", "Phú Cường", "Đông Hạ", "Đông Thượng", "Tây Sơn", "Bắc Hà", "Nam Hà", "Trung Hòa", "An Lạc", "An Thái", "Hòa Mỹ",
  "Hòa Lạc", "Thượng Phúc", "Hạ Phúc", "Vân Tiên", "Vân Hội", "Lại Thượng", "Lại Hạ", "Cổ Đô", "Yên Ninh", "Yên Bình", "Mỹ Lộc", "Mỹ Hưng",
  "Tân Lập", "Tân Phú", "Đồng Tâm", "Đồng Xuân", "Kim Bảng", "Kim Sơn",
];
const SCHOOLS = ["Trường Mầm non Hòa Phú", "Trường Tiểu học Hòa Phú A", "Trường Tiểu học Hòa Phú B", "Trường THCS Hòa Phú", "Trường THCS Phú Bình"];
const ENTERPRISES = ["Công ty Cổ phần May Hòa Phú", "Hợp tác xã Nông nghiệp Phú An", "Công ty TNHH Gạch Tuynel Hòa Phú"];
/** The commune's own bodies: their cells sit under a sub-branch (đảng bộ bộ phận). */
const AGENCIES = ["Cơ quan Đảng – Đoàn thể xã", "Ủy ban nhân dân xã", "Công an xã", "Ban Chỉ huy Quân sự xã", "Trạm Y tế xã"];

/** Rows per statement, under SQLite's bound parameters: a member row binds 13 values, a role row 4. */
const MEMBERS_PER_INSERT = rowsPerStatement(13);
const ROLES_PER_INSERT = rowsPerStatement(4);

const code = (slug: string) => `${LARGE_DEMO_PREFIX}${slug}`;

function cells(random: () => number): (DemoCell & { parent: "commune" | "agencies" })[] {
  const size = (from: number, to: number) => from + Math.floor(random() * (to - from + 1));
  return [
    ...VILLAGES.map((name, i) => ({ code: code(`thon-${i + 1}`), name: `Chi bộ thôn ${name}`, kind: "village" as const, parent: "commune" as const,
      rule: { dayOfMonth: 7, time: i % 3 === 0 ? "19:00" : "19:30" }, place: `Nhà văn hóa thôn ${name}`, size: size(60, 82) })),
    ...[1, 2, 3, 4].map((n) => ({ code: code(`tdp-${n}`), name: `Chi bộ tổ dân phố số ${n}`, kind: "village" as const, parent: "commune" as const,
      rule: { dayOfMonth: 7, time: "19:30" }, place: `Nhà văn hóa tổ dân phố số ${n}`, size: size(45, 70) })),
    ...SCHOOLS.map((name, i) => ({ code: code(`truong-${i + 1}`), name: `Chi bộ ${name}`, kind: "school" as const, parent: "commune" as const,
      rule: { weekday: 4, nth: 1, time: "16:30" }, place: `Phòng họp ${name}`, size: size(14, 30) })),
    ...ENTERPRISES.map((name, i) => ({ code: code(`dn-${i + 1}`), name: `Chi bộ ${name}`, kind: "enterprise" as const, parent: "commune" as const,
      rule: { dayOfMonth: 7, time: "17:00" }, place: `Hội trường ${name}`, size: size(8, 22) })),
    ...AGENCIES.map((name, i) => ({ code: code(`cq-${i + 1}`), name: `Chi bộ ${name}`, kind: "agency" as const, parent: "agencies" as const,
      rule: { dayOfMonth: 7, time: "14:00" }, place: "Hội trường Đảng ủy xã", size: size(12, 30) })),
  ];
}

/**
 * A merged commune of realistic size under the demo province: 47 cells of every kind (a
 * sub-branch holds the commune's agency cells), about 2,600 members with officers, members
 * without phones, exempt and probationary ones; the commune's party committee and reviewers at
 * the commune and at the province (in a cell of the province's office, directly under it).
 * Written in batches inside the caller's transaction.
 */
export async function buildLargeDemo(input: { tx: Tx; organizations: OrganizationService; provinceCode: string; today: LocalDate; now: Date; actor: Actor }) {
  const { tx, organizations, provinceCode, today } = input;
  const random = seededRandom(20250701);
  const commune = await organizations.addWith(tx, { level: "base", unitKind: "commune", ...DEMO_LARGE_COMMUNE, parentCode: provinceCode });
  const agencies = await organizations.addWith(tx, { level: "sub_branch", code: code("khoi-co-quan"), name: "Đảng bộ bộ phận Khối cơ quan xã Hòa Phú", parentCode: commune.code });
  const officeCell = await organizations.addWith(tx, {
    level: "cell", code: code("vp-tinh"), name: "Chi bộ Văn phòng Tỉnh ủy Hòa An (dữ liệu mẫu lớn)", parentCode: provinceCode, cellKind: "agency",
    rule: { dayOfMonth: 7, time: "14:00", place: "Phòng họp Văn phòng Tỉnh ủy", shiftOffDays: true },
  });
  const specs = [...cells(random), { code: officeCell.code, name: officeCell.name, kind: "agency" as const, parent: "province" as const, rule: { dayOfMonth: 7, time: "14:00" }, place: "", size: 12 }];
  const roles: { memberId: number; organizationId: number; role: string }[] = [];
  let serial = 0;
  const taken = await demoNamesTaken(tx, provinceCode);
  const firstOf = new Map<string, number[]>();
  for (const spec of specs) {
    const cell = spec.code === officeCell.code ? officeCell : await organizations.addWith(tx, {
      level: "cell", code: spec.code, name: spec.name, cellKind: spec.kind, parentCode: spec.parent === "agencies" ? agencies.code : commune.code,
      rule: { ...spec.rule, place: spec.place, shiftOffDays: true },
    });
    const rows = Array.from({ length: spec.size }, (_, i) => demoPerson({ random, kind: spec.kind, i, size: spec.size, serial: ++serial, today, phonePrefix: "09100", cellId: cell.id, taken }));
    const ids: number[] = [];
    for (let at = 0; at < rows.length; at += MEMBERS_PER_INSERT) {
      const created = await tx.member.createManyAndReturn({ data: rows.slice(at, at + MEMBERS_PER_INSERT), select: { id: true } });
      ids.push(...created.map((m) => m.id));
    }
    ids.forEach((memberId, i) => roles.push(...demoRoles(i).map((role) => ({ memberId, organizationId: cell.id, role }))));
    firstOf.set(spec.code, ids.slice(0, 4));
  }
  // The commune's party committee: its secretary and deputies lead the Party–mass organizations'
  // cell and the People's Committee's; the office (Văn phòng Đảng ủy) reviews feedback.
  const [partyCell, peoplesCell, policeCell] = [code("cq-1"), code("cq-2"), code("cq-3")].map((c) => firstOf.get(c)!);
  roles.push(
    { memberId: partyCell![0]!, organizationId: commune.id, role: "secretary" },
    { memberId: peoplesCell![0]!, organizationId: commune.id, role: "deputy_secretary" },
    { memberId: partyCell![1]!, organizationId: commune.id, role: "deputy_secretary" },
    { memberId: policeCell![0]!, organizationId: commune.id, role: "committee_member" },
    { memberId: partyCell![2]!, organizationId: commune.id, role: "reviewer" },
    { memberId: partyCell![3]!, organizationId: commune.id, role: "reviewer" },
    { memberId: peoplesCell![1]!, organizationId: commune.id, role: "reviewer" },
    { memberId: policeCell![1]!, organizationId: agencies.id, role: "secretary" },
  );
  const office = firstOf.get(officeCell.code)!;
  const province = await organizations.findByCode(provinceCode, tx);
  roles.push({ memberId: office[1]!, organizationId: province.id, role: "reviewer" }, { memberId: office[2]!, organizationId: province.id, role: "reviewer" });
  for (let at = 0; at < roles.length; at += ROLES_PER_INSERT) await tx.role.createMany({ data: roles.slice(at, at + ROLES_PER_INSERT) });
  await audit(tx, input.now, { actor: input.actor, action: "create", subjectType: "Member", detail: `large demo commune: ${serial} members in ${specs.length} cells` });
}
