import { createServices } from "../../src/services/index.ts";
import type { Db } from "../../src/storage/database.ts";

/** The same wiring the CLI uses, over a test database. */
export const buildServices = (db: Db) => createServices({ db, inviteTtlDays: 14 });

/** Tứ Kỳ-like tree: a province, one commune, a village cell on the 7th and a school cell on the first Thursday. */
export async function buildSmallTree(services: ReturnType<typeof buildServices>) {
  const { organizations } = services;
  const province = await organizations.add({ level: "province", name: "Thành ủy Hải Phòng", code: "hai-phong" });
  const commune = await organizations.add({ level: "base", name: "Đảng ủy xã Hà Kỳ", code: "ha-ky", parentCode: "hai-phong" });
  const village = await organizations.add({ level: "cell", name: "Chi bộ thôn Đông", code: "thon-dong", parentCode: "ha-ky", cellKind: "village", rule: { dayOfMonth: 7, time: "19:30", place: "Nhà văn hóa thôn" } });
  const school = await organizations.add({ level: "cell", name: "Chi bộ Trường THCS Hà Kỳ", code: "thcs-ha-ky", parentCode: "ha-ky", cellKind: "school", rule: { weekday: 4, nth: 1, time: "16:30" } });
  return { province, commune, village, school };
}
