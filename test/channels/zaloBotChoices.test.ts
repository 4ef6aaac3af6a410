import { describe, expect, it } from "vitest";
import { choicesOf, foldForMatch, matchChoice, type Choice } from "../../src/channels/zaloBot/choices.ts";
import { decodeZaloBotEvent } from "../../src/channels/zaloBot/decode.ts";
import { renderForZaloBot, ZALO_BOT_TEXT_LIMIT } from "../../src/channels/zaloBot/render.ts";
import { groupText, image, otherEvent, privateText, sticker, unsupported, wrapped } from "../fakes/fakeZaloBot.ts";

const ATTENDANCE: Choice[] = [
  { label: "Có mặt", payload: "att:12:p" },
  { label: "Vắng", payload: "att:12:a" },
];
const HINT = "Trả lời bằng số (1, 2…).";

describe("numbered choices in place of buttons", () => {
  it("numbers the buttons in reading order, row by row, under the text with a hint", () => {
    const text = renderForZaloBot({
      text: "Đồng chí có dự buổi sinh hoạt chi bộ thứ Hai 7/12 không?",
      buttons: [[{ label: "Có mặt", payload: "att:12:p" }, { label: "Vắng", payload: "att:12:a" }], [{ label: "Không nêu lý do", payload: "att:12:n" }]],
    }, { choiceHint: HINT });
    expect(text).toBe("Đồng chí có dự buổi sinh hoạt chi bộ thứ Hai 7/12 không?\n\n1. Có mặt\n2. Vắng\n3. Không nêu lý do\nTrả lời bằng số (1, 2…).");
  });

  it("sends a message without buttons as its text alone", () => {
    expect(renderForZaloBot({ text: "Đã ghi: đồng chí có mặt." }, { choiceHint: HINT })).toBe("Đã ghi: đồng chí có mặt.");
  });

  it("cuts a long text with an ellipsis to 2000 characters and keeps the whole list", () => {
    const text = renderForZaloBot({ text: "ơ".repeat(3000), buttons: [[{ label: "Có mặt", payload: "p" }, { label: "Vắng", payload: "a" }]] }, { choiceHint: HINT });
    expect(text).toHaveLength(ZALO_BOT_TEXT_LIMIT);
    expect(text).toContain("ơ…\n\n1. Có mặt\n2. Vắng\n");
    expect(text.endsWith(HINT)).toBe(true);
    expect(renderForZaloBot({ text: "a".repeat(2500) }, { choiceHint: HINT })).toBe(`${"a".repeat(1999)}…`);
  });

  it("says a file was left out, before the list", () => {
    const text = renderForZaloBot(
      { text: "Tổng hợp tuần 49", attachment: { fileName: "tong-hop.xlsx", mimeType: "x", base64: "AA==" }, buttons: [[{ label: "Xem #1", payload: "rv:1" }]] },
      { choiceHint: HINT, fileNote: "Không gửi được tệp tong-hop.xlsx." },
    );
    expect(text).toBe("Tổng hợp tuần 49\n\nKhông gửi được tệp tong-hop.xlsx.\n\n1. Xem #1\nTrả lời bằng số (1, 2…).");
  });

  it("picks a choice by its number, however it is typed", () => {
    expect(matchChoice("1", ATTENDANCE)?.payload).toBe("att:12:p");
    expect(matchChoice(" 2 ", ATTENDANCE)?.payload).toBe("att:12:a");
    expect(matchChoice("2.", ATTENDANCE)?.payload).toBe("att:12:a");
    expect(matchChoice("3", ATTENDANCE)).toBeUndefined();
    expect(matchChoice("0", ATTENDANCE)).toBeUndefined();
    expect(matchChoice("1 2", ATTENDANCE)).toBeUndefined();
  });

  it("picks a choice by its label without diacritics or case, and nothing by a longer sentence", () => {
    expect(matchChoice("co mat", ATTENDANCE)?.payload).toBe("att:12:p");
    expect(matchChoice("CÓ MẶT!", ATTENDANCE)?.payload).toBe("att:12:p");
    expect(matchChoice("vang", ATTENDANCE)?.payload).toBe("att:12:a");
    expect(matchChoice("vắng, đi viện", ATTENDANCE)).toBeUndefined();
    expect(matchChoice("", ATTENDANCE)).toBeUndefined();
    expect(foldForMatch("✅ Đã nhận")).toBe("da nhan");
  });

  it("takes the buttons' labels and payloads in reading order", () => {
    expect(choicesOf([[{ label: "A", payload: "a" }], [{ label: "B", payload: "b" }, { label: "C", payload: "c" }]]).map((c) => c.payload)).toEqual(["a", "b", "c"]);
    expect(choicesOf(undefined)).toEqual([]);
  });
});

describe("decoding Zalo Bot events", () => {
  const shown = (byChat: Record<string, Choice[]>) => async (chatId: string) => byChat[chatId] ?? [];

  it("turns a number or a label typed in a chat with choices into that button, keeping the text", async () => {
    const one = await decodeZaloBotEvent(privateText({ fromId: "u1", text: "1" }), shown({ u1: ATTENDANCE }));
    expect(one).toMatchObject({ type: "message", message: { contentKind: "button", buttonPayload: "att:12:p", text: "1", chat: { id: "u1", kind: "private" } } });
    const label = await decodeZaloBotEvent(privateText({ fromId: "u1", text: "co mat" }), shown({ u1: ATTENDANCE }));
    expect(label).toMatchObject({ type: "message", message: { contentKind: "button", buttonPayload: "att:12:p", text: "co mat" } });
    const inGroup = await decodeZaloBotEvent(groupText({ fromId: "u2", groupId: "g9", text: "2" }), shown({ g9: ATTENDANCE }));
    expect(inGroup).toMatchObject({ type: "message", message: { contentKind: "button", buttonPayload: "att:12:a", chat: { id: "g9", kind: "group" }, sender: { id: "u2" } } });
  });

  it("leaves a number as text in a chat without choices, and other text always", async () => {
    expect(await decodeZaloBotEvent(privateText({ fromId: "u3", text: "1" }), shown({ u1: ATTENDANCE }))).toMatchObject({ message: { contentKind: "text", text: "1" } });
    expect(await decodeZaloBotEvent(privateText({ fromId: "u1", text: "/lich" }), shown({ u1: ATTENDANCE }))).toMatchObject({ message: { contentKind: "text", text: "/lich" } });
    const decoded = await decodeZaloBotEvent(privateText({ fromId: "u1", text: "vắng, đi viện" }), shown({ u1: ATTENDANCE }));
    expect(decoded).toMatchObject({ message: { contentKind: "text", text: "vắng, đi viện" } });
    expect(decoded.type === "message" ? decoded.message.buttonPayload : "not a message").toBeUndefined();
  });

  it("reads the sender's name from display_name, or first_name as the documentation's samples have it", async () => {
    const event = privateText({ fromId: "u4", text: "chào", displayName: "Lê Văn Cường" });
    expect(await decodeZaloBotEvent(event, shown({}))).toMatchObject({ message: { sender: { id: "u4", displayName: "Lê Văn Cường" } } });
    const older = { ...event, message: { ...event.message, from: { id: "u4", first_name: "Cường", is_bot: false } } };
    expect(await decodeZaloBotEvent(wrapped(older), shown({}))).toMatchObject({ message: { sender: { displayName: "Cường" } } });
  });

  it("decodes photos with their URL, stickers and unsupported content, and ignores unknown events and bots", async () => {
    expect(await decodeZaloBotEvent(image({ fromId: "u5", url: "https://photo.example/a.jpg", caption: "ảnh đường" }), shown({}))).toMatchObject({ message: { contentKind: "photo", photoRef: "https://photo.example/a.jpg", text: "ảnh đường" } });
    expect(await decodeZaloBotEvent(sticker({ fromId: "u5" }), shown({}))).toMatchObject({ message: { contentKind: "sticker" } });
    expect(await decodeZaloBotEvent(unsupported({ fromId: "u5" }), shown({}))).toMatchObject({ message: { contentKind: "other" } });
    expect(await decodeZaloBotEvent(otherEvent({ fromId: "u5", eventName: "message.voice.received" }), shown({}))).toMatchObject({ type: "ignored" });
    const fromBot = privateText({ fromId: "u6", text: "1" });
    fromBot.message.from.is_bot = true;
    expect(await decodeZaloBotEvent(fromBot, shown({ u6: ATTENDANCE }))).toMatchObject({ type: "ignored" });
  });
});
