/**
 * How people write chibo's commands besides their names: whole Vietnamese phrases. Each is
 * compared folded (no case, no diacritics, đ→d) and without spaces, so "lịch họp", "Lich hop"
 * and "/lịch họp" all mean /lich. A name needs no entry for its own spoken form: "góp ý",
 * "gop y" and "/Góp ý" fold to "gopy" already, "hướng dẫn" to "huongdan", "hủy" and "huỷ" to "huy".
 */
export const COMMAND_PHRASES: Readonly<Record<string, readonly string[]>> = {
  lich: ["lịch họp", "lịch sinh hoạt", "lịch sinh hoạt chi bộ"],
  gopy: ["phản ánh"],
  huongdan: ["trợ giúp"],
  dulieu: ["dữ liệu của tôi"],
  doilich: ["lùi lịch"],
  diemdanh: ["điểm danh buổi sinh hoạt"],
};

/**
 * Names that stay ordinary words when written alone, without "/": "xem" is also "let me see"
 * ("để xem"), an answer to whether one attends. With "/" they are commands as any other.
 */
export const NOT_BARE_COMMANDS: ReadonlySet<string> = new Set(["xem"]);
