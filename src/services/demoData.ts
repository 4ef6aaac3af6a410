/** Names and places for the demo data. Invented; any likeness to real people or places is chance. */
// Family names roughly as common as in Vietnam (Nguyễn first by far); given names are many, so
// that a commune of thousands has few exact repeats.
export const FAMILY_NAMES = [
  "Nguyễn", "Nguyễn", "Nguyễn", "Nguyễn", "Nguyễn", "Nguyễn", "Trần", "Trần", "Trần", "Lê", "Lê", "Lê", "Phạm", "Phạm", "Hoàng", "Huỳnh",
  "Vũ", "Võ", "Phan", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý", "Đinh", "Trịnh", "Đoàn", "Lương", "Mai", "Cao", "Tạ", "Khúc", "Quách",
];
export const MIDDLE_NAMES_MALE = ["Văn", "Văn", "Văn", "Đức", "Minh", "Quang", "Hữu", "Xuân", "Thành", "Công", "Ngọc", "Đình", "Trọng", "Quốc", "Mạnh", "Tiến"];
export const MIDDLE_NAMES_FEMALE = ["Thị", "Thị", "Thị", "Thu", "Ngọc", "Thanh", "Kim", "Phương", "Minh", "Hồng", "Bích", "Diệu", "Thúy"];
export const GIVEN_NAMES_MALE = [
  "Hùng", "Dũng", "Tuấn", "Thắng", "Long", "Sơn", "Hải", "Bình", "Cường", "Khánh", "Phúc", "Toàn", "Nam", "Quý", "An", "Bảo", "Chiến", "Công",
  "Định", "Đông", "Giang", "Hiếu", "Hòa", "Huy", "Kiên", "Lâm", "Lợi", "Mạnh", "Nghĩa", "Ngọc", "Phong", "Quân", "Quyết", "Sáng", "Tâm", "Thái",
  "Thanh", "Thịnh", "Thông", "Tiến", "Trung", "Trường", "Tú", "Việt", "Vinh", "Vượng", "Điệp", "Hưng", "Khải", "Luân",
];
export const GIVEN_NAMES_FEMALE = [
  "Lan", "Hương", "Mai", "Hoa", "Hạnh", "Dung", "Nga", "Thảo", "Yến", "Trang", "Hằng", "Liên", "Anh", "Chi", "Duyên", "Giang", "Hà", "Hiền",
  "Huyền", "Hường", "Lệ", "Linh", "Loan", "Ly", "Nhung", "Oanh", "Phượng", "Quyên", "Tâm", "Thơm", "Thủy", "Tuyết", "Vân", "Xuân", "Hồng", "Ngân",
];

/** The demo province: both demos are communes of it. Its code starts with "demo-", as every demo organization's does. */
export const DEMO_PROVINCE = { code: "demo-tinh", name: "Tỉnh ủy Hòa An (dữ liệu mẫu)" };
export const DEMO_COMMUNE = { code: "demo-xa", name: "Đảng ủy xã Hòa Bình" };
/** The large demo's organizations all have codes starting with this: the web chat's picker leaves them out. */
export const LARGE_DEMO_PREFIX = "demo-lon-";
export const DEMO_LARGE_COMMUNE = { code: `${LARGE_DEMO_PREFIX}xa`, name: "Đảng ủy xã Hòa Phú (dữ liệu mẫu lớn)" };

export interface DemoCell {
  code: string;
  name: string;
  kind: "village" | "school" | "agency" | "enterprise";
  rule: { dayOfMonth: number; time: string } | { weekday: number; nth: number; time: string };
  place: string;
  size: number;
}

export const DEMO_CELLS: DemoCell[] = [
  { code: "demo-thon-dong", name: "Chi bộ thôn Đông", kind: "village", rule: { dayOfMonth: 7, time: "19:30" }, place: "Nhà văn hóa thôn Đông", size: 17 },
  { code: "demo-thon-tay", name: "Chi bộ thôn Tây", kind: "village", rule: { dayOfMonth: 7, time: "19:30" }, place: "Nhà văn hóa thôn Tây", size: 16 },
  { code: "demo-thon-nam", name: "Chi bộ thôn Nam", kind: "village", rule: { dayOfMonth: 7, time: "19:00" }, place: "Nhà văn hóa thôn Nam", size: 15 },
  { code: "demo-truong-th", name: "Chi bộ Trường Tiểu học Hòa Bình", kind: "school", rule: { weekday: 4, nth: 1, time: "16:30" }, place: "Phòng họp Trường Tiểu học Hòa Bình", size: 12 },
];

/** A small deterministic generator, so the demo is the same on every machine. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

export function pick<T>(items: readonly T[], random: () => number): T {
  return items[Math.floor(random() * items.length)] as T;
}
