import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runningClock } from "../helpers/clock.ts";
import { startDriver, type ChannelDriver } from "../conversations/drivers.ts";
import { exchange } from "./exchange.ts";
import { buildCommune, insertMembers, memberName, type BulkMember } from "./commune.ts";

/**
 * The roll call (/diemdanh) of a 300-member cell on Telegram: 150 answered present, 80 absent
 * (half with a reason), 70 not yet (ten of them without a phone, the secretary among the rest).
 * Thursday 3 Dec 2026, 10:00 in Vietnam; the cell meets Monday the 7th at 19:30.
 */
const NOW = "2026-12-03T03:00:00Z";
const MEMBERS = 300;
const PRESENT = 150;
const ABSENT = 80;
const NO_CHAT = 10;
const SECRETARY = 1;
const TELEGRAM_TEXT_LIMIT = 4096;

let driver: ChannelDriver;
const clock = runningClock(NOW);
beforeEach(async () => {
  clock.set(NOW);
  driver = await startDriver("telegram", { clock, env: { TELEGRAM_RATE_PER_SECOND: "10000" } });
});
afterEach(() => driver.stop());

const say = (act: () => Promise<void>, count = 1) => exchange(driver, SECRETARY, act, count);

/** The cell: its secretary first, then members numbered 2..300; the last ten have no chat. */
async function bigCell() {
  const { services, db } = driver.app.chibo;
  const { cells: [cell] } = await buildCommune(services, 1);
  const members: BulkMember[] = Array.from({ length: MEMBERS }, (_, i) => ({
    cellId: cell!.id,
    fullName: memberName(i + 1),
    ...(i >= MEMBERS - NO_CHAT ? {} : { telegramChat: String(i + 1) }),
    ...(i === 0 ? { roles: [{ role: "secretary", organizationId: cell!.id }] } : {}),
  }));
  const ids = insertMembers(driver.app.database.file, members);
  const { meeting } = (await services.attendance.nextMeeting(cell!, clock.now()))!;
  // Members 2..151 come, 152..231 do not (the even ones say why).
  const answeredAt = clock.now();
  await db.attendance.createMany({
    data: ids.slice(1, 1 + PRESENT + ABSENT).map((memberId, i) => i < PRESENT
      ? { meetingId: meeting.id, memberId, answer: "present", source: "button", answeredAt }
      : { meetingId: meeting.id, memberId, answer: "absent", reason: i % 2 === 0 ? "đi làm ăn xa" : null, source: "text", answeredAt }),
  });
  return { cell: cell!, meeting, ids };
}

describe("the roll call of a 300-member cell", () => {
  it("shows every count within one message, offers the first members to record for, and records one", async () => {
    const { meeting, ids } = await bigCell();
    const [roll] = await say(() => driver.sendText(SECRETARY, "/diemdanh"));
    const text = roll!.text;
    expect([...text].length).toBeLessThanOrEqual(TELEGRAM_TEXT_LIMIT);
    expect(text.endsWith("…")).toBe(false);
    const lines = text.split("\n");
    expect(lines[0]).toBe("Điểm danh buổi sinh hoạt Thứ Hai, 07/12/2026 19:30 — Chi bộ thôn 1");
    // Each list names its first members and counts the rest: shown + the rest = the count.
    const shownAndRest = (line: string | undefined, label: string) => {
      const match = new RegExp(`^${label} \\(\\d+\\): (.*), và (\\d+) đồng chí khác$`).exec(line ?? "");
      expect(match, line).not.toBeNull();
      return match![1]!.split(", ").length + Number(match![2]);
    };
    expect(lines[1]).toMatch(/^Có mặt \(150\): Nguyễn Văn 0002, Nguyễn Văn 0003, /);
    expect(shownAndRest(lines[1], "Có mặt")).toBe(PRESENT);
    expect(lines[2]).toBe("Vắng (80):");
    expect(lines[3]).toBe("  • Nguyễn Văn 0152 — đi làm ăn xa");
    expect(lines[4]).toBe("  • Nguyễn Văn 0153 — chưa nêu lý do");
    const absentLines = lines.filter((l) => l.startsWith("  • "));
    expect(absentLines.length - 1 + Number(/^ {2}• và (\d+) đồng chí khác$/.exec(absentLines.at(-1)!)?.[1])).toBe(ABSENT);
    const pending = lines.find((l) => l.startsWith("Chưa trả lời"));
    expect(pending).toMatch(/^Chưa trả lời \(70\): Nguyễn Văn 0001, Nguyễn Văn 0232, /);
    expect(shownAndRest(pending, "Chưa trả lời")).toBe(70);
    expect(roll!.buttons).toEqual([[{ label: "Ghi thay cho đồng chí chưa trả lời", payload: `dd:${meeting.id}:list` }]]);

    const [choose] = await say(() => driver.press(SECRETARY, `dd:${meeting.id}:list`));
    const labels = choose!.buttons.map((row) => row[0]!.label);
    expect(labels).toHaveLength(40);
    // The ten without a phone first, marked; then the others who have not answered.
    expect(labels.slice(0, NO_CHAT)).toEqual(Array.from({ length: NO_CHAT }, (_, i) => `${memberName(MEMBERS - NO_CHAT + i + 1)} ⌀`));
    expect(labels.slice(NO_CHAT, NO_CHAT + 2)).toEqual([memberName(1), memberName(232)]);

    const elder = ids[MEMBERS - 1]!;
    const [ask] = await say(() => driver.press(SECRETARY, `dd:${meeting.id}:${elder}`));
    expect(ask!.text).toBe(`Đồng chí ${memberName(MEMBERS)} có mặt hay vắng?`);
    const [recorded, updated] = await say(() => driver.press(SECRETARY, `dd:${meeting.id}:${elder}:p`), 2);
    expect(recorded!.text).toBe(`Đã ghi thay: đồng chí ${memberName(MEMBERS)} có mặt.`);
    expect(updated!.text.split("\n")[1]).toMatch(/^Có mặt \(151\): /);
    expect(updated!.text.split("\n").find((l) => l.startsWith("Chưa trả lời"))).toMatch(/^Chưa trả lời \(69\): /);
  }, 60_000);

  it("after the meeting, lists every member to correct and records who really came", async () => {
    const { meeting, ids } = await bigCell();
    clock.set("2026-12-08T03:00:00Z"); // the morning after
    const [roll] = await say(() => driver.sendText(SECRETARY, "/diemdanh"));
    expect([...roll!.text].length).toBeLessThanOrEqual(TELEGRAM_TEXT_LIMIT);
    expect(roll!.text).toMatch(/^Điểm danh buổi sinh hoạt Thứ Hai, 07\/12\/2026 19:30 — Chi bộ thôn 1\nCó mặt \(150\): /);
    expect(roll!.text).toMatch(/\n\nBuổi sinh hoạt đã bắt đầu\. Ghi hoặc sửa ai có mặt, ai vắng đến .*$/);
    const [choose] = await say(() => driver.press(SECRETARY, `dd:${meeting.id}:list`));
    expect(choose!.buttons).toHaveLength(40);
    // Those not known first (the secretary's own attendance is another officer's to record).
    expect(choose!.buttons[0]![0]!.label).toBe(`${memberName(232)} (chưa rõ)`);
    const absentee = ids[151]!; // said they would not come, came after all
    await say(() => driver.press(SECRETARY, `dd:${meeting.id}:${absentee}`));
    const [recorded] = await say(() => driver.press(SECRETARY, `dd:${meeting.id}:${absentee}:p`), 2);
    expect(recorded!.text).toBe(`Đã ghi: đồng chí ${memberName(152)} có mặt.`);
    expect(await driver.app.chibo.db.attendance.count({ where: { meetingId: meeting.id, answer: "present" } })).toBe(PRESENT + 1);
  }, 60_000);
});
