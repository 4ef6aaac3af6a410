import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DEFAULT_SCHEDULE_SETTINGS } from "../../src/domain/scheduleSettings.ts";
import { chibo } from "../helpers/cli.ts";
import { freshDatabase, type TestDatabase } from "../helpers/db.ts";

let database: TestDatabase;
let run: (args: string[]) => ReturnType<typeof chibo>;
beforeEach(async () => {
  database = await freshDatabase();
  run = (args) => chibo(args, { databaseUrl: database.url });
  await run(["org", "add-province", "Thành ủy Hải Phòng", "--code", "hai-phong", "--kind", "city"]);
  await run(["org", "add-base", "Đảng ủy xã Hà Kỳ", "--parent", "hai-phong", "--code", "ha-ky"]);
});
afterEach(() => database.cleanup());

describe("admin CLI: the automatic schedule of an organization and those under it", () => {
  it("shows the defaults, changes some settings and keeps the rest", async () => {
    expect(JSON.parse((await run(["org", "schedule", "hai-phong"])).stdout)).toEqual(DEFAULT_SCHEDULE_SETTINGS);
    const set = await run(["org", "schedule", "hai-phong", '{"reminders":[{"daysBefore":2,"at":"07:00"}],"digest":{"weekday":5,"at":"16:00"}}']);
    expect(set.code).toBe(0);
    expect(set.stdout.split("\n")[0]).toBe("Đã lưu lịch gửi tự động của hai-phong:");
    const now = JSON.parse((await run(["org", "schedule", "hai-phong"])).stdout) as typeof DEFAULT_SCHEDULE_SETTINGS;
    expect(now).toEqual({ ...DEFAULT_SCHEDULE_SETTINGS, reminders: [{ daysBefore: 2, at: "07:00" }], digest: { weekday: 5, at: "16:00" } });
  });

  it("refuses bad settings with the field named, and changes nothing", async () => {
    const badTime = await run(["org", "schedule", "hai-phong", '{"dailyAt":"25:00"}']);
    expect(badTime.code).not.toBe(0);
    expect(badTime.stderr).toContain("«dailyAt»");
    const unknown = await run(["org", "schedule", "hai-phong", '{"remindres":[]}']);
    expect(unknown.stderr).toContain("Không có thiết lập «remindres»");
    const notJson = await run(["org", "schedule", "hai-phong", "digest=monday"]);
    expect(notJson.stderr).toContain("Thiết lập phải là một đối tượng JSON");
    expect(JSON.parse((await run(["org", "schedule", "hai-phong"])).stdout)).toEqual(DEFAULT_SCHEDULE_SETTINGS);
  });

  it("lets a commune set its own values over the province's, shows where each comes from, and inherit again", async () => {
    await run(["org", "schedule", "hai-phong", '{"digest":{"weekday":5,"at":"16:00"},"dailyAt":"06:30"}']);
    await run(["org", "schedule", "ha-ky", '{"dailyAt":"07:15"}']);
    await run(["org", "set-postpone-limit", "hai-phong", "3"]);
    const shown = await run(["org", "settings", "ha-ky"]);
    expect(shown.code).toBe(0);
    const lines = shown.stdout.split("\n");
    expect(lines[0]).toBe("Thiết lập áp dụng cho Đảng ủy xã Hà Kỳ [ha-ky]:");
    expect(lines).toContain("  maxPostponeDays = 3  (đặt ở Thành ủy Hải Phòng [hai-phong])");
    expect(lines).toContain('  digest = {"weekday":5,"at":"16:00"}  (đặt ở Thành ủy Hải Phòng [hai-phong])');
    expect(lines).toContain('  dailyAt = "07:15"  (đặt ở Đảng ủy xã Hà Kỳ [ha-ky])');
    expect(lines).toContain('  absenceLimit = 3  (mặc định)');
    expect(JSON.parse((await run(["org", "schedule", "hai-phong"])).stdout).dailyAt).toBe("06:30");
    const unset = await run(["org", "unset", "ha-ky", "dailyAt"]);
    expect(unset.stdout).toBe("Đã bỏ thiết lập «dailyAt» đặt riêng ở ha-ky; nay dùng giá trị (đặt ở Thành ủy Hải Phòng [hai-phong]).");
    expect(JSON.parse((await run(["org", "schedule", "ha-ky"])).stdout).dailyAt).toBe("06:30");
    const unknown = await run(["org", "unset", "ha-ky", "colour"]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain("Không có thiết lập «colour»");
  });
});
