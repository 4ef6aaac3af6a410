import { describe, expect, it } from "vitest";
import { createLogger, type LoggerOptions } from "../src/logger.ts";
import { createRedactor } from "../src/redaction.ts";

const TIME = "\\d\\d:\\d\\d:\\d\\d";

/** A logger writing into an array; `isTTY` makes its output a terminal. */
function logged(options: LoggerOptions & { isTTY?: boolean } = {}) {
  const lines: string[] = [];
  const { isTTY, ...rest } = options;
  const logger = createLogger("debug", { redactor: createRedactor(), ...rest, destination: { write: (line: string) => lines.push(line), ...(isTTY ? { isTTY } : {}) } });
  return { logger, lines };
}

/** An error thrown where a real one would be, so it has a real stack. */
function refused(): Error {
  try {
    throw new Error("connect ECONNREFUSED 127.0.0.1:443");
  } catch (error) {
    return error as Error;
  }
}

describe("pretty log lines", () => {
  it("put the sentence first, then the details, the level and the time, on one line", () => {
    const { logger, lines } = logged({ format: "pretty" });
    logger.info({ host: "127.0.0.1", port: 3000, migrations: ["a", "b"], note: "hai từ" }, "chibo đã chạy, cổng 3000.");
    logger.info("Dữ liệu hiện có: 0 tổ chức đảng.");
    expect(lines[0]).toMatch(new RegExp(`^chibo đã chạy, cổng 3000\\.  · host=127\\.0\\.0\\.1 port=3000 migrations=\\["a","b"\\] note="hai từ"  INFO ${TIME}\\n$`));
    expect(lines[1]).toMatch(new RegExp(`^Dữ liệu hiện có: 0 tổ chức đảng\\.  · INFO ${TIME}\\n$`));
    // Nothing pino adds to every line (pid, hostname, service) and no colour outside a terminal.
    expect(lines.join("")).not.toMatch(/pid=|hostname=|service=|\u001b\[/);
  });

  it("write a warning's sentence first, then the error's own line, then its stack", () => {
    const { logger, lines } = logged({ format: "pretty" });
    logger.warn({ err: refused(), attempt: 2 }, "Chưa kết nối được Telegram (mạng?); sẽ thử lại sau 30 giây.");
    expect(lines).toHaveLength(1);
    const [first, second, third] = lines[0]!.split("\n");
    expect(first).toMatch(new RegExp(`^Chưa kết nối được Telegram \\(mạng\\?\\); sẽ thử lại sau 30 giây\\.  · attempt=2  WARN ${TIME}$`));
    expect(second).toBe("    Error: connect ECONNREFUSED 127.0.0.1:443");
    expect(third).toMatch(/^ {8}at .*refused/);
  });

  it("say the error when a line has no sentence of its own", () => {
    const { logger, lines } = logged({ format: "pretty" });
    logger.error({ err: Object.assign(new Error("database is locked"), { stack: undefined }) });
    expect(lines[0]).toMatch(new RegExp(`^database is locked  · ERROR ${TIME}\\n    Error: database is locked\\n$`));
  });

  it("are the default on a terminal, in colour; JSON is written anywhere else, or when asked", () => {
    const terminal = logged({ isTTY: true });
    terminal.logger.warn("Cảnh báo thử.");
    expect(terminal.lines[0]).toMatch(/^\u001b\[33mCảnh báo thử\.\u001b\[0m  · \u001b\[33mWARN\u001b\[0m/);
    const pipe = logged();
    pipe.logger.info({ port: 3000 }, "chibo đã chạy.");
    expect(JSON.parse(pipe.lines[0]!)).toMatchObject({ level: 30, msg: "chibo đã chạy.", port: 3000, service: "chibo" });
    const asked = logged({ isTTY: true, format: "json" });
    asked.logger.info("chibo đã chạy.");
    expect(JSON.parse(asked.lines[0]!)).toMatchObject({ msg: "chibo đã chạy." });
    const plain = logged({ isTTY: true, color: false });
    plain.logger.warn("Cảnh báo thử.");
    expect(plain.lines[0]).toMatch(/^Cảnh báo thử\.  · WARN /);
  });

  it("keep secrets out, in the sentence, the details and the stack", () => {
    const redactor = createRedactor();
    const secret = "oa-refresh-token-0123456789";
    redactor.register(secret);
    const lines: string[] = [];
    const logger = createLogger("debug", { format: "pretty", redactor, destination: { write: (line: string) => lines.push(line) } });
    const token = "123456789:AAEsecretTokenForPrettyLogs_x1";
    logger.warn(
      { url: `https://api.telegram.org/bot${token}/getMe`, body: `refresh_token=${secret}`, err: new Error(`refused ${secret}`) },
      `Làm mới mã ${secret} không được`,
    );
    const text = lines.join("");
    expect(text).not.toContain(secret);
    expect(text).not.toContain(token.split(":")[1]);
    expect(text).toContain("Làm mới mã [redacted] không được");
    expect(text).toContain("url=https://api.telegram.org/bot[redacted]/getMe");
    expect(text).toContain("    Error: refused [redacted]");
  });
});
