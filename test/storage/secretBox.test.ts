import { describe, expect, it } from "vitest";
import { parseConfig } from "../../src/config.ts";
import { createSecretBox, parseSecretKey, SecretUnreadable } from "../../src/storage/secretBox.ts";

const KEY = "8f2c1d7e4a9b3c6d5e0f1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b1c2d";
const OTHER_KEY = Buffer.alloc(32, 7).toString("base64");

describe("the secret box", () => {
  it("seals a value into something that does not contain it, and opens it again", () => {
    const box = createSecretBox(KEY);
    const sealed = box.seal('{"accessToken":"access-0"}', "zalo_oa:tokens");
    expect(sealed).toMatch(/^enc:v1:[A-Za-z0-9_-]+$/);
    expect(sealed).not.toContain("access-0");
    expect(box.isSealed(sealed)).toBe(true);
    expect(box.open(sealed, "zalo_oa:tokens")).toBe('{"accessToken":"access-0"}');
    // A fresh nonce each time: the same value never seals twice alike.
    expect(box.seal("x", "k")).not.toBe(box.seal("x", "k"));
  });

  it("reads a value stored before a key was set as it is", () => {
    expect(createSecretBox(KEY).open('{"accessToken":"access-0"}', "zalo_oa:tokens")).toBe('{"accessToken":"access-0"}');
  });

  it("refuses another key, another row's value and altered bytes as a wrong key", () => {
    const sealed = createSecretBox(KEY).seal("secret", "zalo_oa:tokens");
    const wrong = (fn: () => unknown) => {
      try {
        fn();
      } catch (error) {
        return error instanceof SecretUnreadable ? error.reason : "other";
      }
      return "opened";
    };
    expect(wrong(() => createSecretBox(OTHER_KEY).open(sealed, "zalo_oa:tokens"))).toBe("wrongKey");
    expect(wrong(() => createSecretBox(KEY).open(sealed, "telegram:offset"))).toBe("wrongKey");
    const flipped = sealed.slice(0, -2) + (sealed.endsWith("AA") ? "AB" : "AA");
    expect(wrong(() => createSecretBox(KEY).open(flipped, "zalo_oa:tokens"))).toBe("wrongKey");
    expect(wrong(() => createSecretBox().open(sealed, "zalo_oa:tokens"))).toBe("noKey");
  });

  it("stores as given without a key", () => {
    const box = createSecretBox();
    expect(box.hasKey).toBe(false);
    expect(box.seal("plain", "k")).toBe("plain");
  });

  it("takes 32 bytes as hex or base64, and refuses anything else at start, naming the variable", () => {
    expect(parseSecretKey(KEY)).toHaveLength(32);
    expect(parseSecretKey(OTHER_KEY)).toEqual(Buffer.alloc(32, 7));
    expect(parseSecretKey(OTHER_KEY.replace(/=$/, "").replace(/\+/g, "-").replace(/\//g, "_"))).toEqual(Buffer.alloc(32, 7));
    expect(() => parseConfig({ CHIBO_SECRET_KEY: "mật khẩu của tôi" })).toThrow(/CHIBO_SECRET_KEY/);
    expect(() => parseConfig({ CHIBO_SECRET_KEY: KEY.slice(0, 62) })).toThrow(/CHIBO_SECRET_KEY/);
    expect(parseConfig({ CHIBO_SECRET_KEY: KEY }).CHIBO_SECRET_KEY).toBe(KEY);
  });
});
