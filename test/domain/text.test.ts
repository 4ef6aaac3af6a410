import { describe, expect, it } from "vitest";
import { checkAgencyName, cleanFeedbackText } from "../../src/domain/feedback.ts";
import { cleanText, stripControls } from "../../src/domain/text.ts";

const ESC = "\u001b";

describe("cleanText: one stored line, nothing that steers a terminal or a chat", () => {
  it("removes ANSI colour and OSC title sequences whole, not just their ESC", () => {
    expect(cleanText(`${ESC}[31;1mNguyễn Văn An${ESC}[0m`)).toBe("Nguyễn Văn An");
    expect(cleanText(`${ESC}]0;pwned\u0007Lê Thị Hoa`)).toBe("Lê Thị Hoa");
    expect(cleanText(`${ESC}]8;;http://x${ESC}\\Trần Văn Tư${ESC}]8;;${ESC}\\`)).toBe("Trần Văn Tư");
    expect(cleanText(`\u009b2JĐỗ Thị Tám`)).toBe("Đỗ Thị Tám");
  });

  it("removes NUL, other C0 and C1 controls and DEL; turns tabs and line breaks into one space", () => {
    expect(cleanText("Ngô\u0000 Văn\u0007 Bảy\u007f\u0085\u0090")).toBe("Ngô Văn Bảy");
    expect(cleanText(" Phạm\tVăn\r\nMười\u000b ")).toBe("Phạm Văn Mười");
  });

  it("removes bidi overrides, embeddings and isolates (U+202A–U+202E, U+2066–U+2069)", () => {
    expect(cleanText("\u202eVũ Thị Năm\u202c")).toBe("Vũ Thị Năm");
    expect(cleanText("\u202a\u202b\u202dChi bộ\u2066 thôn\u2067\u2068 Đông\u2069")).toBe("Chi bộ thôn Đông");
  });

  it("keeps Vietnamese letters, punctuation and emoji, in NFC", () => {
    expect(cleanText("Nguye\u0302\u0303n Thị Ánh (Út) 🌸")).toBe("Nguyễn Thị Ánh (Út) 🌸");
    expect(stripControls("a\nb\tc")).toBe("a\nb\tc");
  });
});

describe("texts that keep paragraphs", () => {
  it("feedback and notice text keep line breaks but lose controls and bidi overrides", () => {
    expect(cleanFeedbackText(`Đường\u0000 hỏng\r\n\r\n${ESC}[2J\u202eĐề nghị sửa${ESC}]0;x\u0007`)).toBe("Đường hỏng\n\nĐề nghị sửa");
  });

  it("an agency name is one clean line", () => {
    expect(checkAgencyName(`Công an\u202e xã${ESC}[0m\nHà Kỳ`)).toBe("Công an xã Hà Kỳ");
  });
});
