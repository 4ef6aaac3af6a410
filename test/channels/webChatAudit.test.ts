import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DemoMember } from "../../src/services/demo.ts";
import { demoSecretary, loadDemo, startChiboLocal, type LocalChibo } from "../helpers/chiboLocal.ts";

let app: LocalChibo;
let demo: DemoMember[];

async function call(method: "GET" | "POST", path: string, body?: unknown): Promise<Record<string, unknown>> {
  const res = await fetch(`${app.baseUrl}/chat/api${path}`, {
    method,
    headers: body === undefined ? {} : { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  expect(res.status).toBeLessThan(300);
  return (await res.json()) as Record<string, unknown>;
}

beforeAll(async () => {
  app = await startChiboLocal();
  demo = await loadDemo(app.chibo);
});
afterAll(() => app.stop());

const historyReads = (memberId: number) =>
  app.chibo.db.auditLog.findMany({ where: { action: "read", subjectType: "WebChatHistory", subjectId: String(memberId) }, orderBy: { id: "asc" } });

describe("web chat history reads", () => {
  it("are logged on each pick and on a read from the start, not on the live answers after it; no text in the log", async () => {
    const member = demoSecretary(demo);
    await call("POST", "/pick", { memberId: member.id });
    expect(await historyReads(member.id)).toMatchObject([{ actorKind: "web", actorId: member.id, detail: "0 sent, 0 written" }]);

    await call("POST", "/send", { memberId: member.id, text: "/lich" });
    const first = await call("GET", `/messages?memberId=${member.id}&after=0&wait=10`);
    const [answer] = first.messages as { id: number; text: string }[];
    expect(answer).toBeDefined();
    expect(await historyReads(member.id)).toHaveLength(2);
    expect((await historyReads(member.id))[1]).toMatchObject({ actorKind: "web", actorId: member.id, detail: "1 sent, from the start" });

    // The live poll after the cursor reads only what is new: not the history.
    await call("GET", `/messages?memberId=${member.id}&after=${answer!.id}&wait=0`);
    expect(await historyReads(member.id)).toHaveLength(2);

    await call("POST", "/pick", { memberId: member.id });
    const reads = await historyReads(member.id);
    expect(reads).toHaveLength(3);
    expect(reads[2]).toMatchObject({ detail: "1 sent, 1 written" });
    const log = JSON.stringify(await app.chibo.db.auditLog.findMany({ where: { subjectType: "WebChatHistory" } }));
    for (const secret of [answer!.text.slice(0, 20), "/lich", member.fullName]) expect(log).not.toContain(secret);
  });
});
