import { describe, expect, it } from "vitest";
import { readReasonReply } from "../../src/domain/attendanceReason.ts";

describe("readReasonReply: what a member types when asked why they will be absent", () => {
  it.each([
    "ok", "oke", "co", "có", "Có ạ", "không", "ko", "k", "không ạ", "vâng", "dạ vâng", "được", "dc", "đi", "dạ", "👍", "?", "1",
    "vắng", "vang", "ko đi dc đâu", "xin phép vắng ạ", "chưa biết",
  ])("asks again after the bare “%s”", (text) => {
    expect(readReasonReply(text)).toStrictEqual({ kind: "unclear" });
  });

  it.each([
    "à tôi đi được", "có mặt", "co mat", "CÓ MẶT", "đi được", "di dc", "tôi sẽ đến", "em sẽ đi", "thôi em đi được ạ", "tham dự",
    "ko vắng đâu", "không vắng", "vang, toi se di", "I will attend",
  ])("takes “%s” for a change of mind, to be confirmed", (text) => {
    expect(readReasonReply(text)).toStrictEqual({ kind: "changeToPresent" });
  });

  it.each(["không có lý do", "ko co ly do", "Không có ạ", "không nêu lý do", "không có lý do gì", "k co li do", "no reason"])(
    "takes “%s” for no reason",
    (text) => {
      expect(readReasonReply(text)).toStrictEqual({ kind: "noReason" });
    },
  );

  it.each([
    { text: "đi viện khám mắt", reason: "đi viện khám mắt" },
    { text: "ốm", reason: "ốm" },
    { text: "om", reason: "om" },
    { text: "vắng vì ốm", reason: "ốm" },
    { text: "bận việc nhà", reason: "bận việc nhà" },
    { text: "họp tổ dân phố", reason: "họp tổ dân phố" },
    { text: "có việc", reason: "có việc" },
    { text: "có hẹn với bác sĩ", reason: "có hẹn với bác sĩ" },
    { text: "con ốm", reason: "con ốm" },
    { text: "đi Hà Nội", reason: "đi Hà Nội" },
    { text: "không đi được vì đám cưới", reason: "đám cưới" },
    { text: "  Trông   cháu  ", reason: "Trông cháu" },
  ])("keeps “$text” as the reason “$reason”", ({ text, reason }) => {
    expect(readReasonReply(text)).toStrictEqual({ kind: "reason", reason });
  });

  it("asks again on empty or odd input without throwing", () => {
    for (const text of ["", "   ", "\u0000", undefined as unknown as string]) expect(readReasonReply(text)).toStrictEqual({ kind: "unclear" });
  });
});
