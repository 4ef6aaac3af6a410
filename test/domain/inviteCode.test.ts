import { describe, expect, it } from "vitest";
import { generateInviteCode, hashInviteCode, looksLikeInviteCode, normalizeInviteCode } from "../../src/domain/inviteCode.ts";

describe("invite codes", () => {
  it("are eight characters from an alphabet without look-alikes, shown with a dash", () => {
    const code = generateInviteCode((size) => Buffer.from(Array.from({ length: size }, (_, i) => i * 7)));
    expect(code).toBe("29GQ-X6DM");
    for (let i = 0; i < 200; i++) expect(generateInviteCode()).toMatch(/^[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}$/);
  });

  it("read the way people type them: any case, with or without a dash or spaces", () => {
    expect(normalizeInviteCode(" k7mq-4txa ")).toBe("K7MQ4TXA");
    expect(normalizeInviteCode("K7MQ 4TXA")).toBe("K7MQ4TXA");
    expect(hashInviteCode("k7mq4txa")).toBe(hashInviteCode("K7MQ-4TXA"));
    for (const typed of ["K7MQ-4TX", "K7MQ-4TXO", "K7MQ-4TX1", ""]) expect(() => normalizeInviteCode(typed)).toThrow();
  });

  it("a message that is only a code is taken for one; words are not", () => {
    for (const text of ["K7MQ-4TXA", "k7mq 4txa", "K7MQ4TXA", "abcd-efgh", "abcd efgh", "  K7MQ-4TXA\n"]) expect(looksLikeInviteCode(text), text).toBe(true);
    // Not one: words, a code inside a sentence, and what has a character no code has (0, 1, I, L, O).
    for (const text of ["xinchaoo", "Có mặt", "vắng nhé", "K7MQ-4TXA nhé", "/start K7MQ-4TXA", "K7MQ--4TXA", "1234567", "K7MQ-4TX0", "good luck", "2024 2025", "chao minh"]) expect(looksLikeInviteCode(text), text).toBe(false);
  });
});
