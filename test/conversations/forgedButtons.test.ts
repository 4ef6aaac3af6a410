import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startConversationWorld, type ConversationWorld, type Person } from "./harness.ts";

// A forged callback can only be sent where a button's payload travels as it is (Telegram's
// callback_data); the same decoders serve every channel.
describe("forged button payloads on telegram", () => {
  let w: ConversationWorld;
  beforeEach(async () => {
    w = await startConversationWorld("telegram");
  });
  afterEach(() => w.stop());

  const STALE = "Nút này không còn dùng được nữa.";

  async function expectRefused(from: Person, payloads: string[]): Promise<void> {
    for (const payload of payloads) {
      const [answer] = await w.press(from, payload);
      expect({ payload, text: answer?.text }).toEqual({ payload, text: STALE });
    }
    // Every update was handled (answered), none failed or waits for a retry.
    const updates = await w.db.inboundUpdate.findMany({ select: { status: true, error: true } });
    expect(updates.filter((u) => u.status !== "done")).toEqual([]);
  }

  it("refuses malformed ids in a notice's report and acknowledgement buttons", async () => {
    await expectRefused(w.people.secretary, ["tb:report:NaN", "tb:report:", "tb:report:1e3", "tb:report:-1", "tb:report:0x10", "tb:report:99999999999"]);
    await expectRefused(w.people.member, ["nr:abc", "nr:1e999", "nr:", "nr: 1", "nr:1:2", "nr:9007199254740993", "nr:2147483648"]);
  });

  it("refuses malformed attendance, roll-call and meeting-held buttons", async () => {
    await expectRefused(w.people.member, ["att:abc:p", "att:1e999:a", "att::p", "att:1:x", "att:1.5:p"]);
    await expectRefused(w.people.secretary, ["dd:NaN:list", "dd:1e999:show", "dd:", "held:abc:y", "held:1:maybe", "held:1e999:n"]);
  });

  it("refuses a forged roll-call member id once the meeting is real", async () => {
    const [roll] = await w.say(w.people.secretary, "/diemdanh");
    const meetingId = roll!.buttons![0]![0]!.payload.split(":")[1];
    await expectRefused(w.people.secretary, [`dd:${meetingId}:abc`, `dd:${meetingId}:1e999:p`, `dd:${meetingId}:${w.people.member.memberId}:z`]);
  });

  it("refuses malformed review and digest buttons", async () => {
    await expectRefused(w.people.reviewerX, ["rv:o:NaN", "rv:o:1e999", "rv:a:close:abc:new", "rv:zz", "th:week:NaN", "th:week:1e999", "th:year:1"]);
  });

  it("refuses an unknown language and a malformed postponement day", async () => {
    await expectRefused(w.people.member, ["lang:xx", "lang:"]);
    w.clock.set("2026-12-06T03:00:00Z");
    await w.say(w.people.secretary, "/doilich");
    await expectRefused(w.people.secretary, ["dl:day:", "dl:day:NaN", "dl:day:1e999", "dl:day:-0"]);
  });
});
