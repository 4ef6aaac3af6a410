import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { CONFIG_VARIABLES, ConfigError, parseConfig } from "../src/config.ts";
import { describeConfigProblem } from "../src/configErrors.ts";
import { createTranslator, LOCALES_DIR } from "../src/i18n.ts";
import { chibo } from "./helpers/cli.ts";

const DATABASE_URL = "file:/nonexistent/never-opened.db";
/** What the CLI prints for a setting, before it opens any database. */
const refusal = async (env: Record<string, string>, args: string[] = ["org", "tree"]) => {
  const result = await chibo(args, { databaseUrl: DATABASE_URL, env });
  expect(result.code).toBe(1);
  return result.stderr.split("\n");
};
const problemsOf = (env: Record<string, string>) => {
  try {
    parseConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
};

describe("a wrong setting", () => {
  it("is one sentence naming the variable, what it must be and what it is, in Vietnamese", async () => {
    expect(await refusal({ PORT: "abc" })).toEqual([
      "Cấu hình sai ở biến PORT: phải là một số nguyên từ 0 đến 65535; đang là «abc». Sửa trong tệp .env hoặc biến môi trường rồi khởi động lại.",
    ]);
    // The same sentence whichever side of the range is crossed: the reader learns the whole range at once.
    expect(await refusal({ INVITE_TTL_DAYS: "0", LOG_LEVEL: "loud" })).toEqual([
      "Cấu hình sai ở biến LOG_LEVEL: phải là một trong các giá trị: fatal, error, warn, info, debug, trace, silent; đang là «loud». Sửa trong tệp .env hoặc biến môi trường rồi khởi động lại.",
      "Cấu hình sai ở biến INVITE_TTL_DAYS: phải là một số nguyên từ 1 đến 365; đang là «0». Sửa trong tệp .env hoặc biến môi trường rồi khởi động lại.",
    ]);
    expect(await refusal({ SCHEDULER_ENABLED: "có" })).toEqual([
      "Cấu hình sai ở biến SCHEDULER_ENABLED: phải là true (bật) hoặc false (tắt); đang là «có». Sửa trong tệp .env hoặc biến môi trường rồi khởi động lại.",
    ]);
  });

  it("is in English with --lang en, CHIBO_LANG or DEFAULT_LANGUAGE", async () => {
    const english = "Invalid configuration in PORT: it must be a whole number from 0 to 65535; it is «3000.5». Fix it in .env or the environment and start again.";
    expect(await refusal({ PORT: "3000.5" }, ["org", "tree", "--lang", "en"])).toEqual([english]);
    expect(await refusal({ PORT: "3000.5", CHIBO_LANG: "en" })).toEqual([english]);
    expect(await refusal({ PORT: "3000.5", DEFAULT_LANGUAGE: "en" })).toEqual([english]);
    expect(await refusal({ TELEGRAM_API_ROOT: "api.telegram.org", DEFAULT_LANGUAGE: "en" })).toEqual([
      "Invalid configuration in TELEGRAM_API_ROOT: it must be a web address starting with http:// or https://; it is «api.telegram.org». Fix it in .env or the environment and start again.",
    ]);
  });

  it("names each variable a group still needs, and a limit that depends on another variable", async () => {
    expect(await refusal({ ZALO_OA_APP_ID: "1234567", ZALO_OA_SECRET_KEY: "oa-secret-key" })).toEqual([
      "Cấu hình sai ở biến ZALO_OA_APP_SECRET: chưa đặt, nhưng phải đặt cùng với ZALO_OA_APP_ID, ZALO_OA_SECRET_KEY (các biến này đặt đủ cả, hoặc bỏ trống cả). Sửa trong tệp .env hoặc biến môi trường rồi khởi động lại.",
      "Cấu hình sai ở biến ZALO_OA_REFRESH_TOKEN: chưa đặt, nhưng phải đặt cùng với ZALO_OA_APP_ID, ZALO_OA_SECRET_KEY (các biến này đặt đủ cả, hoặc bỏ trống cả). Sửa trong tệp .env hoặc biến môi trường rồi khởi động lại.",
    ]);
    expect(await refusal({ HTTP_HEADERS_TIMEOUT_MS: "40000" })).toEqual([
      "Cấu hình sai ở biến HTTP_HEADERS_TIMEOUT_MS: không được lớn hơn HTTP_REQUEST_TIMEOUT_MS (30000); đang là «40000». Sửa trong tệp .env hoặc biến môi trường rồi khởi động lại.",
    ]);
  });

  it("never prints a token or key, only how long the value is", async () => {
    const key = "mật khẩu của chi bộ thôn Đông";
    const lines = await refusal({ CHIBO_SECRET_KEY: key, TELEGRAM_BOT_TOKEN: "bot-token-without-its-number" });
    expect(lines.join("\n")).not.toContain(key);
    expect(lines.join("\n")).not.toContain("bot-token-without-its-number");
    expect(lines).toContain("Cấu hình sai ở biến CHIBO_SECRET_KEY: phải là 32 byte ngẫu nhiên viết thành 64 chữ số hex (tạo bằng «openssl rand -hex 32») hoặc base64; giá trị đang đặt dài 29 ký tự (không in ra vì là bí mật). Sửa trong tệp .env hoặc biến môi trường rồi khởi động lại.");
  });

  it("reads as a sentence of chibo's for every variable and every kind of wrong value, in both languages", () => {
    const translator = createTranslator();
    const common = (language: string): Record<string, string> => JSON.parse(fs.readFileSync(path.join(LOCALES_DIR, language, "common.json"), "utf8"));
    const WRONG = ["abc", "-1", "1.5", "99999999999", "x y", "có"];
    let checked = 0;
    for (const variable of CONFIG_VARIABLES) {
      for (const value of WRONG) {
        for (const problem of problemsOf({ [variable]: value })) {
          checked += 1;
          // A shape of its own needs words of its own: the schema's English hint is no sentence for a secretary.
          if (problem.expected.kind === "format") {
            for (const language of ["vi", "en"]) expect({ language, variable, key: `configExpect_${variable}` in common(language) }).toEqual({ language, variable, key: true });
          }
          for (const language of ["vi", "en"] as const) {
            const sentence = describeConfigProblem(problem, translator.t(language));
            expect(sentence).toContain(problem.variable);
            expect(sentence).not.toMatch(/\{\{|Invalid input|Too (small|big)|expected (number|int)|received/);
            expect(sentence).toMatch(/[.]$/);
          }
        }
      }
    }
    expect(checked).toBeGreaterThan(CONFIG_VARIABLES.length);
  });
});
