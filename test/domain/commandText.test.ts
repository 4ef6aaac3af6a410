import { describe, expect, it } from "vitest";
import { parseAttendanceReply } from "../../src/domain/attendance.ts";
import { commandBook, editDistance, nearestCommand, readBareCommand, readSlashCommand } from "../../src/domain/commandText.ts";
import { COMMAND_PHRASES } from "../../src/domain/commandWords.ts";
import { chatFeatures } from "../../src/core/features/index.ts";

const names = chatFeatures().flatMap((f) => [...(f.commands ?? []), ...(f.aliases ?? [])]);
const book = commandBook(names);

describe("reading a command as typed", () => {
  it("reads the longest run of words that names a command, the rest as its arguments", () => {
    expect(readSlashCommand("/Lịch", book)).toMatchObject({ command: "lich" });
    expect(readSlashCommand("/lịch@chibo_bot họp", book)).toMatchObject({ command: "lich" });
    expect(readSlashCommand("/góp ý của tôi", book)).toMatchObject({ command: "gopycuatoi" });
    expect(readSlashCommand("/Góp ý", book)).toMatchObject({ command: "gopy" });
    expect(readSlashCommand("/đặt lịch 7  19:30 Nhà văn hóa", book)).toMatchObject({ command: "datlich", args: "7  19:30 Nhà văn hóa" });
    expect(readSlashCommand("/start K7MQ-4TXA", book)).toMatchObject({ command: "start", args: "K7MQ-4TXA" });
    expect(readSlashCommand("/xóa", book)).toEqual({ typed: "xóa", typedKeys: ["xoa"] });
    expect(readSlashCommand("/12 giờ", book)).toBeNull();
    expect(readSlashCommand("lich", book)).toBeNull();
  });

  it("takes a bare command only as the whole message", () => {
    expect(readBareCommand("Lịch họp?", book)).toBe("lich");
    expect(readBareCommand("huong dan", book)).toBe("huongdan");
    expect(readBareCommand("HỦY", book)).toBe("huy");
    expect(readBareCommand("lịch họp tuần sau thế nào", book)).toBeUndefined();
    expect(readBareCommand("xem", book)).toBeUndefined();
    expect(readBareCommand("/lich", book)).toBeUndefined();
  });

  it("has no command or phrase that is also an answer to whether one attends", () => {
    const written = [...names, ...Object.values(COMMAND_PHRASES).flat()];
    expect(written.filter((w) => parseAttendanceReply(w).answer !== "unknown")).toEqual([]);
    for (const phrase of Object.keys(COMMAND_PHRASES)) expect(names).toContain(phrase);
  });

  it("suggests within one edit for short words and two for longer, a swap counting once", () => {
    expect(editDistance("lihc", "lich")).toBe(1);
    expect(editDistance("xoa", "xem")).toBe(2);
    expect(nearestCommand(["lihc"], book, () => true)).toBe("lich");
    expect(nearestCommand(["huongdam"], book, () => true)).toBe("huongdan");
    expect(nearestCommand(["xoa"], book, () => true)).toBeUndefined();
    expect(nearestCommand(["thongbo"], book, (c) => c !== "thongbao")).toBeUndefined();
  });
});
