import crypto from "node:crypto";

/** Marks a sealed value, and the format it is in: AES-256-GCM, base64url of iv ‖ ciphertext ‖ tag. */
const SEALED_PREFIX = "enc:v1:";
const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** A stored secret that cannot be opened: sealed with another key, or sealed while no key is set. */
export class SecretUnreadable extends Error {
  constructor(readonly reason: "wrongKey" | "noKey") {
    super(reason === "wrongKey" ? "CHIBO_SECRET_KEY does not open the stored secret" : "the stored secret is encrypted and CHIBO_SECRET_KEY is not set");
    this.name = "SecretUnreadable";
  }
}

/** Seals secrets for the database with the operator's key; without a key, values stay as given. */
export interface SecretBox {
  readonly hasKey: boolean;
  /** `context` (the row's key) is bound to the value: a sealed value copied to another row does not open. */
  seal(plaintext: string, context: string): string;
  /** A sealed value opened, or a value stored before sealing as is. */
  open(stored: string, context: string): string;
  isSealed(stored: string): boolean;
}

/** 32 bytes given as 64 hex digits or as base64 (or base64url); anything else is refused. */
export function parseSecretKey(text: string): Buffer {
  const trimmed = text.trim();
  const key = /^[0-9a-fA-F]{64}$/.test(trimmed) ? Buffer.from(trimmed, "hex") : Buffer.from(trimmed.replace(/-/g, "+").replace(/_/g, "/"), "base64");
  if (key.length !== KEY_BYTES) throw new Error(`the key must be ${KEY_BYTES} bytes`);
  return key;
}

export function createSecretBox(keyText?: string): SecretBox {
  const key = keyText === undefined ? undefined : parseSecretKey(keyText);
  const isSealed = (stored: string) => stored.startsWith(SEALED_PREFIX);
  return {
    hasKey: key !== undefined,
    isSealed,
    seal(plaintext, context) {
      if (!key) return plaintext;
      const iv = crypto.randomBytes(IV_BYTES);
      const cipher = crypto.createCipheriv("aes-256-gcm", key, iv).setAAD(Buffer.from(context, "utf8"));
      const sealed = Buffer.concat([iv, cipher.update(plaintext, "utf8"), cipher.final(), cipher.getAuthTag()]);
      return SEALED_PREFIX + sealed.toString("base64url");
    },
    open(stored, context) {
      if (!isSealed(stored)) return stored;
      if (!key) throw new SecretUnreadable("noKey");
      const bytes = Buffer.from(stored.slice(SEALED_PREFIX.length), "base64url");
      if (bytes.length < IV_BYTES + TAG_BYTES) throw new SecretUnreadable("wrongKey");
      try {
        const decipher = crypto.createDecipheriv("aes-256-gcm", key, bytes.subarray(0, IV_BYTES)).setAAD(Buffer.from(context, "utf8"));
        decipher.setAuthTag(bytes.subarray(bytes.length - TAG_BYTES));
        return Buffer.concat([decipher.update(bytes.subarray(IV_BYTES, bytes.length - TAG_BYTES)), decipher.final()]).toString("utf8");
      } catch {
        // GCM's tag check fails alike for another key and for altered bytes: either way, not ours to read.
        throw new SecretUnreadable("wrongKey");
      }
    },
  };
}
