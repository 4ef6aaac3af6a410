import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import {
  allowedActions, CATEGORIES, checkAction, FEEDBACK_ACTIONS, FEEDBACK_STATUSES, checkFeedback, cleanFeedbackText, FEEDBACK_DUE_WORKING_DAYS, feedbackDueAt, formatReference, isOverdue,
  LIFECYCLE, MAX_FEEDBACK_TEXT_LENGTH, nextStatus, referenceSequence, referenceYear,
} from "../../src/domain/feedback.ts";
import { DEFAULT_ADDRESSEE_KEYS, DEFAULT_ADDRESSEES } from "../../src/domain/addressees.ts";
import { excerpt, thisWeek } from "../../src/domain/feedbackDigest.ts";
import { createTranslator, LOCALES_DIR } from "../../src/i18n.ts";
import { expectDomainError, vietnamese } from "../helpers/domainErrors.ts";

const DRAFT = { addressee: "peoples_committee", category: "land", text: "Đường liên thôn Đông bị sạt lở sau mưa, đề nghị xã sửa." };

describe("checkFeedback", () => {
  it("accepts a draft and stores the text in NFC, paragraphs kept and spaces collapsed", () => {
    const checked = checkFeedback({ ...DRAFT, text: `  Đường   bị sạt lở.\r\n\r\n\r\n${"Đề nghị sửa".normalize("NFD")}  ` }, DEFAULT_ADDRESSEES);
    expect(checked).toEqual({ addressee: "peoples_committee", agencyName: null, category: "land", text: "Đường bị sạt lở.\n\nĐề nghị sửa", photoRef: null });
  });

  it("keeps the agency's name only for feedback to an agency", () => {
    expect(checkFeedback({ ...DRAFT, addressee: "agency", agencyName: "  Phòng Tài nguyên  và Môi trường " }, DEFAULT_ADDRESSEES).agencyName).toBe("Phòng Tài nguyên và Môi trường");
    expect(checkFeedback({ ...DRAFT, agencyName: "Phòng Tài nguyên" }, DEFAULT_ADDRESSEES).agencyName).toBeNull();
  });

  it("accepts a text of exactly 3000 characters, counted as the writer sees them", () => {
    expect([...checkFeedback({ ...DRAFT, text: "ữ".repeat(MAX_FEEDBACK_TEXT_LENGTH) }, DEFAULT_ADDRESSEES).text]).toHaveLength(3000);
  });

  it.each([
    ["an unknown category", { category: "weather" }, "feedback:unknownCategory", "Unknown feedback category weather"],
    ["an unknown addressee", { addressee: "president" }, "feedback:unknownAddressee", "Unknown feedback addressee president"],
    ["an agency without a name", { addressee: "agency", agencyName: "  " }, "feedback:agencyNameRequired", "Feedback to an agency needs the agency's name"],
    ["an empty text", { text: " \n\t " }, "feedback:textRequired", "Feedback needs a text"],
    ["a text of 3001 characters", { text: "a".repeat(3001) }, "feedback:textTooLong", "Feedback may be at most 3000 characters; got 3001"],
  ])("refuses %s in both languages", (_label, change, code, message) => {
    expectDomainError(() => checkFeedback({ ...DRAFT, ...change }, DEFAULT_ADDRESSEES), code, message);
  });

  it("says in Vietnamese how long the text may be", () => {
    const error = expectDomainError(() => checkFeedback({ ...DRAFT, text: "a".repeat(3001) }, DEFAULT_ADDRESSEES), "feedback:textTooLong", "Feedback may be at most 3000 characters; got 3001");
    expect(vietnamese(error)).toBe("Nội dung phản ánh, góp ý chỉ được dài tối đa 3000 ký tự, hiện có 3001 ký tự.");
  });
});

describe("the lifecycle", () => {
  it.each([
    ["submitted", "review", "under_review"],
    ["submitted", "answer", "answered"],
    ["under_review", "forward", "forwarded"],
    ["under_review", "reject", "rejected"],
    ["forwarded", "answer", "answered"],
    ["answered", "close", "closed"],
  ] as const)("moves %s by %s to %s", (from, action, to) => {
    expect(nextStatus(from, action)).toBe(to);
  });

  it.each([
    ["closed", "answer"],
    ["rejected", "review"],
    ["answered", "answer"],
    ["submitted", "close"],
    ["forwarded", "reject"],
  ] as const)("refuses %s → %s, naming the current status", (from, action) => {
    const error = expectDomainError(() => nextStatus(from, action), "feedback:transitionRefused", `Feedback in status ${from} cannot take the action ${action}`);
    expect(error.params).toEqual({ status: from, action });
  });

  it("names the status and action in each language", () => {
    const error = expectDomainError(() => nextStatus("closed", "answer"), "feedback:transitionRefused", "Feedback in status closed cannot take the action answer");
    expect(vietnamese(error)).toBe("Không thể trả lời góp ý đang ở trạng thái «Đã kết thúc».");
    expect(createTranslator().t("en")(error.code, error.params)).toBe("Feedback that is «Closed» cannot be given the action «answer».");
  });

  it("lets nothing happen after closed or rejected", () => {
    expect(allowedActions("closed")).toEqual([]);
    expect(allowedActions("rejected")).toEqual([]);
    expect(Object.keys(LIFECYCLE.closed)).toEqual([]);
  });

  it("offers an answer from submitted, under review and forwarded only", () => {
    const answerable = Object.entries(LIFECYCLE).filter(([, moves]) => moves.answer).map(([status]) => status);
    expect(answerable).toEqual(["submitted", "under_review", "forwarded"]);
    expect(allowedActions("answered")).toEqual(["close"]);
  });
});

describe("checkAction", () => {
  it("records the agency for a forward, with the note after it", () => {
    expect(checkAction({ kind: "forward", agencyName: "Phòng Tài nguyên", note: "Nhờ xác minh" })).toEqual({ kind: "forward", agencyName: "Phòng Tài nguyên", note: "Phòng Tài nguyên: Nhờ xác minh" });
  });

  it.each([
    ["a forward without an agency", { kind: "forward", agencyName: " " }, "feedback:agencyNameRequired", "Feedback to an agency needs the agency's name"],
    ["an empty answer", { kind: "answer", text: "  " }, "feedback:answerRequired", "An answer needs a text"],
    ["a rejection without a reason", { kind: "reject", reason: "" }, "feedback:reasonRequired", "A rejection needs a reason"],
    ["an unknown action", { kind: "delete" }, "feedback:unknownAction", "Unknown feedback action delete"],
  ])("refuses %s", (_label, action, code, message) => {
    expectDomainError(() => checkAction(action as never), code, message);
  });
});

describe("references and due dates", () => {
  it("formats a reference with six digits and reads its number back", () => {
    expect(formatReference(2026, 42)).toBe("GY-2026-000042");
    expect(referenceSequence("GY-2026-000042", 2026)).toBe(42);
    expect(referenceSequence("GY-2025-000042", 2026)).toBe(0);
    expect(referenceSequence(undefined, 2026)).toBe(0);
  });

  it("takes the year in Vietnam time: 31 December 20:00 UTC is already the new year", () => {
    expect(referenceYear(new Date("2026-12-31T16:59:00Z"))).toBe(2026);
    expect(referenceYear(new Date("2026-12-31T17:00:00Z"))).toBe(2027);
  });

  it(`is due ${FEEDBACK_DUE_WORKING_DAYS} working days after submission and overdue only while still owed`, () => {
    const at = new Date("2026-09-25T03:00:00Z"); // Friday 10:00 in Vietnam
    const dueAt = feedbackDueAt(at);
    expect(dueAt.toISOString()).toBe("2026-10-09T03:00:00.000Z"); // two weeks later, weekends skipped
    expect(feedbackDueAt(at, 1).toISOString()).toBe("2026-09-28T03:00:00.000Z"); // Monday
    expect(feedbackDueAt(new Date("2026-09-25T18:00:00Z"), 1).toISOString()).toBe("2026-09-27T18:00:00.000Z"); // Sat 01:00 local → Mon 01:00
    const later = new Date("2026-10-09T03:00:01Z");
    expect(isOverdue({ status: "under_review", dueAt }, later)).toBe(true);
    expect(isOverdue({ status: "under_review", dueAt }, dueAt)).toBe(false);
    expect(isOverdue({ status: "answered", dueAt }, later)).toBe(false);
  });

  it("does not count the days off that apply to the author's cell as working days", () => {
    // Wednesday 29 April 2026 10:00: 30 April and 1 May are days off, then the weekend.
    const at = new Date("2026-04-29T03:00:00Z");
    const dayOff = (iso: string) => iso === "2026-04-30" || iso === "2026-05-01";
    expect(feedbackDueAt(at, 1, dayOff).toISOString()).toBe("2026-05-04T03:00:00.000Z"); // Monday
    expect(feedbackDueAt(at, 1).toISOString()).toBe("2026-04-30T03:00:00.000Z");
  });
});

describe("digest helpers", () => {
  it("gives the local week from Monday 00:00 to the next Monday 00:00, in Vietnam time", () => {
    // Sunday 27 September 2026 at 23:30 in Vietnam is still in the week of Monday 21 September.
    expect(thisWeek(new Date("2026-09-27T16:30:00Z"))).toEqual({ from: new Date("2026-09-20T17:00:00Z"), to: new Date("2026-09-27T17:00:00Z") });
    // Monday 28 September 00:10 in Vietnam (still Sunday in UTC) starts the next week.
    expect(thisWeek(new Date("2026-09-27T17:10:00Z"))).toEqual({ from: new Date("2026-09-27T17:00:00Z"), to: new Date("2026-10-04T17:00:00Z") });
  });

  it("quotes the first 80 characters on one line", () => {
    expect(excerpt("Dòng một\nDòng hai")).toBe("Dòng một Dòng hai");
    expect(excerpt("ữ".repeat(81))).toBe(`${"ữ".repeat(80)}…`);
    expect(cleanFeedbackText(42)).toBe("");
  });
});

describe("the feedback words", () => {
  const keysOf = (language: string) => Object.keys(JSON.parse(fs.readFileSync(path.join(LOCALES_DIR, language, "feedback.json"), "utf8")) as object).sort();

  it("has every sentence and label in Vietnamese and in English", () => {
    expect(keysOf("en")).toEqual(keysOf("vi"));
  });

  it.each([["category", CATEGORIES], ["addressee", [...DEFAULT_ADDRESSEE_KEYS, "agency"]], ["status", FEEDBACK_STATUSES], ["action", FEEDBACK_ACTIONS]] as const)("labels every %s", (prefix, values) => {
    for (const value of values) expect(keysOf("vi")).toContain(`${prefix}_${value}`);
  });
});
