import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { freshDatabase, type TestDatabase } from "../helpers/db.ts";
import { chibo } from "../helpers/cli.ts";

let database: TestDatabase;
let run: (args: string[], env?: Record<string, string>) => ReturnType<typeof chibo>;
beforeEach(async () => {
  database = await freshDatabase();
  run = (args, env) => chibo(args, { databaseUrl: database.url, env });
});
afterEach(() => database.cleanup());

describe("admin CLI: organization tree and meetings", () => {
  it("builds a city with a commune, a village cell on the 7th and a school cell on the first Thursday, then lists their meetings", async () => {
    expect((await run(["org", "add-province", "Thành ủy Hải Phòng", "--code", "hai-phong", "--kind", "city"])).stdout).toBe("Đã tạo «Thành ủy Hải Phòng», mã: hai-phong");
    expect((await run(["org", "add-base", "Đảng ủy xã Hà Kỳ", "--parent", "hai-phong"])).stdout).toContain("mã: dang-uy-xa-ha-ky");
    expect((await run(["org", "add-cell", "Chi bộ thôn Đông", "--parent", "dang-uy-xa-ha-ky", "--kind", "village", "--day", "7", "--time", "19:30", "--place", "Nhà văn hóa"])).code).toBe(0);
    expect((await run(["org", "add-cell", "Chi bộ Trường THCS", "--parent", "dang-uy-xa-ha-ky", "--kind", "school", "--weekday", "4", "--nth", "1", "--time", "16:30", "--code", "thcs"])).code).toBe(0);

    const tree = await run(["org", "tree"]);
    expect(tree.stdout.split("\n")).toEqual([
      "Thành ủy Hải Phòng (thành phố trực thuộc trung ương)  [hai-phong]",
      "  Đảng ủy xã Hà Kỳ (xã)  [dang-uy-xa-ha-ky]",
      "    Chi bộ thôn Đông (thôn, tổ dân phố)  [chi-bo-thon-dong]",
      "    Chi bộ Trường THCS (trường học)  [thcs]",
    ]);

    const upcoming = await run(["meetings", "upcoming", "hai-phong"]);
    expect(upcoming.stdout.split("\n")).toEqual([
      "Thứ Năm, 01/10/2026 16:30  Chi bộ Trường THCS",
      "Thứ Tư, 07/10/2026 19:30  Chi bộ thôn Đông — Nhà văn hóa",
    ]);
    const english = await run(["meetings", "upcoming", "thcs", "--count", "2", "--lang", "en"]);
    expect(english.stdout).toBe("Thursday, 01/10/2026 16:30  Chi bộ Trường THCS\nThursday, 05/11/2026 16:30  Chi bộ Trường THCS");
  });

  it("postpones within two days with a reason and names the superior committee to inform", async () => {
    await run(["org", "add-province", "Thành ủy Hải Phòng", "--code", "hai-phong"]);
    await run(["org", "add-base", "Đảng ủy xã Hà Kỳ", "--parent", "hai-phong", "--code", "ha-ky"]);
    await run(["org", "add-cell", "Chi bộ thôn Đông", "--parent", "ha-ky", "--kind", "village", "--day", "7", "--time", "19:30", "--code", "dong"]);
    const ok = await run(["meetings", "postpone", "dong", "--to", "2026-10-09 19:30", "--reason", "Trùng lịch tiêm phòng"]);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain("từ Thứ Tư, 07/10/2026 19:30 sang Thứ Sáu, 09/10/2026 19:30");
    expect(ok.stdout).toContain("Cần báo cáo cấp ủy cấp trên: Đảng ủy xã Hà Kỳ.");

    const late = await run(["meetings", "postpone", "dong", "--to", "10/10/2026 19:30", "--reason", "Bận"]);
    expect(late.code).toBe(1);
    expect(late.stderr).toContain("tối đa 2 ngày");
    const noReason = await run(["meetings", "postpone", "dong", "--to", "2026-10-08 19:30", "--reason", " "]);
    expect(noReason.stderr).toBe("Cần nêu lý do lùi buổi sinh hoạt.");
    const upcoming = await run(["meetings", "upcoming", "dong"]);
    expect(upcoming.stdout).toContain("Thứ Sáu, 09/10/2026 19:30");
    expect(upcoming.stdout).toContain("lý do: Trùng lịch tiêm phòng");
  });

  it("edits a commune's feedback addressees and days off, each shown with where it comes from", async () => {
    await run(["org", "add-province", "Tỉnh ủy Hòa An", "--code", "hoa-an"]);
    await run(["org", "add-base", "Đảng ủy phường Hòa Bình", "--parent", "hoa-an", "--code", "hoa-binh", "--kind", "ward"]);
    const defaults = await run(["org", "addressees", "hoa-binh"]);
    expect(defaults.stdout.split("\n")).toEqual([
      "Nơi nhận phản ánh, góp ý của Đảng ủy phường Hòa Bình (mặc định):",
      "  party_committee: Đảng ủy phường",
      "  peoples_council: Hội đồng nhân dân phường",
      "  peoples_committee: Ủy ban nhân dân phường",
      "  fatherland_front: Ủy ban MTTQ Việt Nam phường",
      "  province: Cấp tỉnh (qua Đảng ủy phường)",
      "  agency: Cơ quan, đoàn thể",
    ]);
    const added = await run(["org", "addressees", "hoa-binh", "--add", "Hội Cựu chiến binh phường", "--remove", "province"]);
    expect(added.stdout.split("\n").slice(0, 1)).toEqual(["Nơi nhận phản ánh, góp ý của Đảng ủy phường Hòa Bình (đặt ở Đảng ủy phường Hòa Bình [hoa-binh]):"]);
    expect(added.stdout).toContain("  hoi-cuu-chien-binh-phuong: Hội Cựu chiến binh phường");
    expect(added.stdout).not.toContain("province:");
    const bad = await run(["org", "addressees", "hoa-binh", "--remove", "nobody"]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain("Không có nơi nhận mã «nobody»");

    const days = await run(["org", "holidays", "hoa-binh", "--year", "2027"]);
    expect(days.stdout).toContain("  2027-02-06  Tết Nguyên đán  (Bộ luật Lao động)");
    expect(days.stdout).toContain("  2027-05-03  Ngày Quốc tế Lao động (nghỉ bù)  (Bộ luật Lao động)");
    expect((await run(["org", "remove-holiday", "hoa-an", "2027-05-03"])).stdout).toBe("Ngày 2027-05-03 là ngày làm việc đối với hoa-an và các tổ chức trực thuộc.");
    expect((await run(["org", "add-holiday", "hoa-binh", "2027-03-15", "Lễ hội đình làng"])).code).toBe(0);
    const after = await run(["org", "holidays", "hoa-binh", "--year", "2027"]);
    expect(after.stdout).toContain("  2027-05-03  làm việc — không nghỉ Ngày Quốc tế Lao động (nghỉ bù)  (đặt ở Tỉnh ủy Hòa An [hoa-an])");
    expect(after.stdout).toContain("  2027-03-15  Lễ hội đình làng  (đặt ở Đảng ủy phường Hòa Bình [hoa-binh])");
  });

  it.each([
    [["org", "add-cell", "Chi bộ X", "--parent", "nowhere", "--kind", "village"], 1, "Không tìm thấy tổ chức có mã «nowhere»"],
    [["org", "add-province", "Tỉnh ủy X", "--max-postpone-days", "hai"], 1, "Tùy chọn --max-postpone-days cần một số nguyên, nhận được «hai»."],
    [["org", "frobnicate"], 2, "Không có lệnh «frobnicate»."],
    [["org", "add-sub-branch", "Đảng bộ bộ phận Y"], 2, "Thiếu tùy chọn bắt buộc «--parent <code>»."],
    [["org", "add-base", "Phường Z", "--kind", "quan"], 1, "Loại đơn vị «quan» không có"],
    [["org", "add-cell", "Chi bộ X", "--parent", "nowhere-2", "--kind", "club"], 1, "Không tìm thấy tổ chức có mã «nowhere-2»"],
    [["meetings", "postpone", "x", "--to", "mai", "--reason", "r"], 1, "Thời gian «mai» không hợp lệ"],
  ])("answers %j with a clear message and no stack trace", async (args, code, message) => {
    const result = await run(args);
    expect(result.code).toBe(code);
    expect(result.stderr).toContain(message);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it("shows help for every command in Vietnamese, and in English with --lang en", async () => {
    const top = await run(["--help"]);
    expect(top.code).toBe(0);
    expect(top.stdout).toContain("Cách dùng:");
    for (const command of ["org", "members", "invite", "meetings", "demo"]) expect(top.stdout).toContain(command);
    const sub = await run(["org", "add-cell", "--help"]);
    expect(sub.stdout).toContain("loại chi bộ: village (thôn, tổ dân phố)");
    const en = await run(["meetings", "postpone", "--help", "--lang", "en"]);
    expect(en.stdout).toContain("Usage:");
    expect(en.stdout).toContain("why the meeting is postponed");
  });

  it("names a wrong environment variable and stops", async () => {
    const result = await run(["org", "tree"], { INVITE_TTL_DAYS: "0" });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("Cấu hình sai ở biến INVITE_TTL_DAYS");
  });
});
