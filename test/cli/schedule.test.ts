import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DEFAULT_SCHEDULE_SETTINGS } from "../../src/domain/scheduleSettings.ts";
import { chibo } from "../helpers/cli.ts";
import { freshDatabase, type TestDatabase } from "../helpers/db.ts";

let database: TestDatabase;
let run: (args: string[]) => ReturnType<typeof chibo>;
beforeEach(async () => {
  database = await freshDatabase();
  run = (args) => chibo(args, { databaseUrl: database.url });
  await run(["org", "add-district", "Thành ủy Hải Phòng", "--code", "hai-phong"]);
  await run(["org", "add-base", "Đảng ủy xã Hà Kỳ", "--parent", "hai-phong", "--code", "ha-ky"]);
});
afterEach(() => database.cleanup());

describe("admin CLI: a district's automatic schedule", () => {
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
    const commune = await run(["org", "schedule", "ha-ky"]);
    expect(commune.stderr).toContain("Lịch gửi tự động chỉ đặt cho huyện");
    expect(JSON.parse((await run(["org", "schedule", "hai-phong"])).stdout)).toEqual(DEFAULT_SCHEDULE_SETTINGS);
  });
});
