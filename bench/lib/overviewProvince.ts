import Sqlite from "better-sqlite3";
import { addMonths, fromLocal, toLocal } from "../../src/domain/localTime.ts";
import { seededRandom } from "../../src/services/demoData.ts";

/**
 * A province for the overview's bench, written with plain SQL in one transaction: communes of
 * village cells meeting on the 7th at 19:30, members spread over them, most with a chat linked,
 * twelve months of meetings with their answers, a year of feedback and the notices of the last
 * months with their recipients and acknowledgements.
 */
export interface ProvinceShape {
  communes: number;
  cellsPerCommune: number;
  members: number;
  feedbackItems: number;
}

const DAY_MS = 86_400_000;
const stored = (at: Date) => at.toISOString().replace("Z", "+00:00");
const CATEGORIES = ["economy", "land", "environment", "health_education", "security", "cadres", "other"];
const STATUSES = ["submitted", "under_review", "forwarded", "answered", "answered", "closed", "rejected"];

export function buildOverviewProvince(file: string, shape: ProvinceShape, now: Date) {
  const db = new Sqlite(file);
  db.pragma("synchronous = OFF");
  const random = seededRandom(20261220);
  const when = stored(new Date(now.getTime() - 400 * DAY_MS));
  const q = {
    org: db.prepare(`INSERT INTO "Organization" ("level", "cellKind", "unitKind", "name", "searchName", "code", "parentId", "path", "createdAt", "updatedAt") VALUES (?, ?, ?, ?, ?, ?, ?, '', ?, ?)`),
    path: db.prepare(`UPDATE "Organization" SET "path" = ? WHERE "id" = ?`),
    rule: db.prepare(`INSERT INTO "MeetingRule" ("cellId", "kind", "dayOfMonth", "time", "shiftOffDays", "createdAt", "updatedAt") VALUES (?, 'dayOfMonth', 7, '19:30', 0, ?, ?)`),
    member: db.prepare(`INSERT INTO "Member" ("fullName", "searchName", "status", "exemption", "exemptionFrom", "cellId", "createdAt", "updatedAt") VALUES (?, ?, 'full', ?, ?, ?, ?, ?)`),
    identity: db.prepare(`INSERT INTO "ChatIdentity" ("memberId", "channel", "externalUserId", "chatId", "reachable", "linkedAt") VALUES (?, ?, ?, ?, ?, ?)`),
    meeting: db.prepare(`INSERT INTO "Meeting" ("cellId", "scheduledAt", "postponedTo", "postponeReason", "status", "createdAt", "updatedAt") VALUES (?, ?, ?, ?, ?, ?, ?)`),
    answer: db.prepare(`INSERT INTO "Attendance" ("meetingId", "memberId", "answer", "source", "answeredAt", "updatedAt") VALUES (?, ?, ?, ?, ?, ?)`),
    feedback: db.prepare(`INSERT INTO "Feedback" ("reference", "topOrganizationId", "authorId", "cellId", "addressee", "category", "text", "status", "dueAt", "createdAt", "updatedAt") VALUES (?, ?, ?, ?, 'peoples_committee', ?, 'Góp ý về đường liên thôn.', ?, ?, ?, ?)`),
    notice: db.prepare(`INSERT INTO "Notice" ("organizationId", "text", "createdAt", "sentAt") VALUES (?, 'Thông báo', ?, ?)`),
    delivery: db.prepare(`INSERT INTO "NoticeDelivery" ("noticeId", "memberId", "status", "acknowledgedAt") VALUES (?, ?, ?, ?)`),
  };
  const orgId = (level: string, name: string, code: string, parentId: number | null, parentPath: string) => {
    const id = Number(q.org.run(level, level === "cell" ? "village" : null, level === "base" ? "commune" : level === "province" ? "province" : null, name, name.toLowerCase(), code, parentId, when, when).lastInsertRowid);
    const path = `${parentPath}${id}/`;
    q.path.run(path, id);
    return { id, path };
  };

  return db.transaction(() => {
    const province = orgId("province", "Tỉnh ủy Hòa An", "hoa-an", null, "/");
    const communes: { id: number; path: string; members: number[] }[] = [];
    const cells: { id: number; members: number[]; reachable: Set<number>; commune: number }[] = [];
    for (let c = 1; c <= shape.communes; c++) {
      const commune = orgId("base", `Đảng ủy xã ${c}`, `xa-${c}`, province.id, province.path);
      communes.push({ ...commune, members: [] });
      for (let k = 1; k <= shape.cellsPerCommune; k++) {
        const cell = orgId("cell", `Chi bộ thôn ${c}.${k}`, `thon-${c}-${k}`, commune.id, commune.path);
        q.rule.run(cell.id, when, when);
        cells.push({ id: cell.id, members: [], reachable: new Set(), commune: communes.length - 1 });
      }
    }
    // Cells of 10 to 27 members; the rest go round so the province has exactly shape.members.
    let serial = 0;
    const addMember = (cell: (typeof cells)[number]) => {
      serial++;
      const exempt = random() < 0.03;
      const id = Number(q.member.run(`Nguyễn Văn ${serial}`, `nguyen van ${serial}`, exempt ? "exempt" : "none", exempt ? "2024-01-01" : null, cell.id, when, when).lastInsertRowid);
      cell.members.push(id);
      communes[cell.commune]!.members.push(id);
      const r = random();
      const channel = r < 0.8 ? "telegram" : r < 0.9 ? "zalo_bot" : r < 0.93 ? "zalo_oa" : r < 0.95 ? "web" : null;
      if (channel) {
        const reachable = random() < 0.99;
        q.identity.run(id, channel, `u${serial}`, `u${serial}`, reachable ? 1 : 0, when);
        if (reachable) cell.reachable.add(id);
      }
    };
    cells.forEach((cell, k) => {
      for (let i = 0; i < 10 + ((k * 7) % 18) && serial < shape.members; i++) addMember(cell);
    });
    for (let k = 0; serial < shape.members; k++) addMember(cells[k % cells.length]!);

    const today = toLocal(now);
    let attendanceRows = 0;
    for (let back = 11; back >= 0; back--) {
      const { year, month } = addMonths(today.year, today.month, -back);
      const start = fromLocal({ year, month, day: 7, hour: 19, minute: 30 });
      if (start > now) continue;
      for (const cell of cells) {
        const r = random();
        const status = r < 0.85 ? "held" : r < 0.88 ? "not_held" : "planned";
        const moved = random() < 0.04 ? new Date(start.getTime() + DAY_MS) : null;
        const meetingId = Number(q.meeting.run(cell.id, stored(start), moved && stored(moved), moved && "Trùng lịch họp của xã", status, stored(start), stored(start)).lastInsertRowid);
        if (status === "not_held") continue;
        const startsAt = moved ?? start;
        for (const memberId of cell.members) {
          if (random() >= 0.88) continue;
          const early = random() < 0.9;
          const at = stored(new Date(startsAt.getTime() + (early ? -DAY_MS : 3_600_000)));
          q.answer.run(meetingId, memberId, random() < 0.82 ? "present" : "absent", early ? "button" : "secretary", at, at);
          attendanceRows++;
        }
      }
    }

    for (let i = 0; i < shape.feedbackItems; i++) {
      const cell = cells[Math.floor(random() * cells.length)]!;
      const created = new Date(now.getTime() - Math.floor(random() * 365 * DAY_MS));
      q.feedback.run(`GY-${toLocal(created).year}-${String(i + 1).padStart(6, "0")}`, province.id, cell.members[0] ?? null, cell.id,
        CATEGORIES[Math.floor(random() * CATEGORIES.length)], STATUSES[Math.floor(random() * STATUSES.length)], stored(new Date(created.getTime() + 14 * DAY_MS)), stored(created), stored(created));
    }

    // The province writes to everyone every two months; each commune twice in the last 90 days.
    let deliveries = 0;
    const send = (organizationId: number, at: Date, members: number[], reachable: (id: number) => boolean) => {
      const noticeId = Number(q.notice.run(organizationId, stored(at), stored(at)).lastInsertRowid);
      for (const memberId of members) {
        const queued = reachable(memberId);
        q.delivery.run(noticeId, memberId, queued ? "queued" : "no_chat", queued && random() < 0.55 ? stored(new Date(at.getTime() + DAY_MS)) : null);
        deliveries++;
      }
    };
    const reachableAll = new Set(cells.flatMap((c) => [...c.reachable]));
    const everyone = cells.flatMap((c) => c.members);
    for (let k = 0; k < 6; k++) send(province.id, new Date(now.getTime() - (10 + 60 * k) * DAY_MS), everyone, (id) => reachableAll.has(id));
    for (const commune of communes) {
      for (const days of [20, 50]) send(commune.id, new Date(now.getTime() - days * DAY_MS), commune.members, (id) => reachableAll.has(id));
    }
    return { province, communes: communes.map((c) => ({ id: c.id, path: c.path, members: c.members.length })), cells: cells.length, members: serial, attendanceRows, deliveries };
  })();
}
