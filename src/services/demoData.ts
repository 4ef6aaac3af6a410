/** Names and places for the demo district. Invented; any likeness to real people is chance. */
export const FAMILY_NAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Ngô", "Dương", "Lý"];
export const MIDDLE_NAMES_MALE = ["Văn", "Đức", "Minh", "Quang", "Hữu", "Xuân", "Thành"];
export const MIDDLE_NAMES_FEMALE = ["Thị", "Thu", "Ngọc", "Thanh", "Kim", "Phương"];
export const GIVEN_NAMES_MALE = ["Hùng", "Dũng", "Tuấn", "Thắng", "Long", "Sơn", "Hải", "Bình", "Cường", "Khánh", "Phúc", "Toàn", "Nam", "Quý"];
export const GIVEN_NAMES_FEMALE = ["Lan", "Hương", "Mai", "Hoa", "Hạnh", "Dung", "Nga", "Thảo", "Yến", "Trang", "Hằng", "Liên"];

export const DEMO_DISTRICT = { code: "demo-huyen", name: "Huyện ủy Hòa An (dữ liệu mẫu)", maxPostponeDays: 2 };
export const DEMO_COMMUNE = { code: "demo-xa", name: "Đảng ủy xã Hòa Bình" };

export interface DemoCell {
  code: string;
  name: string;
  kind: "village" | "school";
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
