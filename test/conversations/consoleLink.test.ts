import { afterEach, beforeEach, expect, it } from "vitest";
import { waitUntil } from "../helpers/wait.ts";
import { forEachChannel, itOn, startConversationWorld, type ConversationWorld } from "./harness.ts";

forEachChannel("a sign-in link to the console from the chat", (channel) => {
  let w: ConversationWorld;
  beforeEach(async () => {
    w = await startConversationWorld(channel);
  });
  afterEach(() => w.stop());

  const baseUrl = () => `http://127.0.0.1:${w.app.chibo.port}`;
  const linkIn = (text: string) => /(http:\/\/\S+\/console\/signin\/[A-Za-z0-9_-]{43})/.exec(text)?.[1];

  it("sends /web's link privately, once usable, and forgets it in the outbox once sent", async () => {
    const [reply] = await w.say(w.people.reviewerX, "/web");
    const url = linkIn(reply!.text);
    expect(url).toBeDefined();
    expect(reply!.text).toContain("15 phút");
    expect(url!.startsWith(baseUrl())).toBe(true);
    const token = url!.split("/").at(-1)!;
    await waitUntil(async () => (await w.db.outboxMessage.count({ where: { forgetText: true, text: "" } })) > 0);
    expect(JSON.stringify(await w.db.outboxMessage.findMany())).not.toContain(token);

    const signIn = await fetch(`${baseUrl()}/console/signin`, { method: "POST", body: new URLSearchParams({ token }), redirect: "manual" });
    expect(signIn.status).toBe(303);
    const cookie = signIn.headers.get("set-cookie")!.split(";")[0]!;
    const account = await fetch(`${baseUrl()}/console/account`, { headers: { cookie } });
    expect(await account.text()).toContain("Hoàng Văn Sáu");
    const again = await fetch(`${baseUrl()}/console/signin`, { method: "POST", body: new URLSearchParams({ token }), redirect: "manual" });
    expect(again.status).toBe(410);
  });

  itOn(channel, ["telegram", "zalo_bot"])("never puts a link in a group, where anyone could sign in with it", async () => {
    await w.linkGroup(1, w.orgs.cellA.id);
    const [answer] = await w.sayInGroup(1, w.people.secretary, "/web", { replyToBot: channel === "telegram" });
    expect(answer!.text).toContain("chỉ gửi trong tin nhắn riêng");
    expect(linkIn(answer!.text)).toBeUndefined();
    expect(await w.db.consoleSignIn.count()).toBe(0);
  });

  it("asks a person who is not linked for their invite code first", async () => {
    const [answer] = await w.say({ id: w.driver.chatOf(799), n: 799, memberId: 0 }, "/web");
    expect(linkIn(answer!.text)).toBeUndefined();
    expect(await w.db.consoleSignIn.count()).toBe(0);
  });
});
