import crypto from "node:crypto";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { cleanText } from "../domain/text.ts";
import type { Db } from "../storage/database.ts";
import { auditRead, type Actor } from "./audit.ts";
import { createMemberImportService, type ImportReport, type LeavingMember } from "./memberImport.ts";
import type { OrganizationService } from "./organizations.ts";

/** How long a checked file waits for its confirmation. */
export const HOLD_MINUTES = 30;
const KEY_PREFIX = "console:memberImport:";
const MAX_FILE_NAME_CHARS = 120;

/** What the check found, and what the confirmation must find again to go ahead. */
export interface ImportSummary {
  created: number;
  updated: number;
  unchanged: number;
  reactivated: number;
  leaving: LeavingMember[];
  activeInCells: number;
  needsAllowDeactivate: boolean;
}

/** A checked file waiting for its confirmation (its bytes stay in the database, not here). */
export interface PendingImport {
  organizationId: number;
  fileName: string;
  sha256: string;
  until: Date;
  summary: ImportSummary;
}

interface Held extends Omit<PendingImport, "until"> {
  memberId: number;
  until: string;
  base64: string;
}

/** Who checks which file for which organization: the console session keeps at most one file waiting. */
export interface CheckInput {
  sessionId: number;
  memberId: number;
  orgCode: string;
  organizationId: number;
  fileName: string;
  bytes: Buffer;
  now: Date;
  actor: Actor;
}

export interface ConfirmInput {
  sessionId: number;
  memberId: number;
  orgCode: string;
  /** The hash of the file the person saw checked (in the form they pressed). */
  sha256: string;
  allowDeactivate: boolean;
  now: Date;
  actor: Actor;
}

export type ConfirmOutcome =
  | { kind: "done"; report: ImportReport }
  /** The check run again found something else than what was shown (the list changed meanwhile): shown again. */
  | { kind: "changed"; report: ImportReport; pending?: PendingImport }
  /** More than half of the cells' members would leave and the person did not tick that this is right. */
  | { kind: "needsAllow"; pending: PendingImport }
  /** Nothing waits for this session under that file (expired, confirmed already, or another file checked since). */
  | { kind: "gone" };

/**
 * A member list sent from the console: checked first (the importer's dry run), kept for
 * HOLD_MINUTES, then imported on confirmation by the same importer, in its one transaction. The
 * file waits in the database (ChannelState, one row per console session, expiring), not in memory
 * or a local folder, so the confirmation may reach another instance of chibo. The confirmation
 * names the file's hash: a second file checked in another tab never gets imported by the first tab's
 * button. Before importing, the check runs again; if it no longer finds what was shown, the
 * person sees the new result instead.
 */
export function createMemberImportUploadService(deps: { db: Db; organizations: OrganizationService }) {
  const { db } = deps;
  const importer = createMemberImportService(deps);
  const keyOf = (sessionId: number) => `${KEY_PREFIX}${sessionId}`;

  async function preview(input: CheckInput) {
    await sweep(input.now);
    await discard(input.sessionId);
    const fileName = safeFileName(input.fileName);
    const report = await withFile(fileName, input.bytes, (filePath) =>
      importer.importFile({ filePath, orgCode: input.orgCode, dryRun: true, now: input.now, actor: input.actor }));
    await auditRead(db, input.now, input.actor, {
      subjectType: "Member", detail: `console import check: ${report.problems.length} problems, ${report.deactivated.length} leaving named`,
    });
    if (!report.ok) return { report };
    const held: Held = {
      memberId: input.memberId, organizationId: input.organizationId, fileName, sha256: sha256Of(input.bytes),
      until: new Date(input.now.getTime() + HOLD_MINUTES * 60_000).toISOString(), base64: input.bytes.toString("base64"), summary: summaryOf(report),
    };
    await put(input.sessionId, held);
    return { report, pending: pendingOf(held) };
  }

  /** The file this session checked and has not confirmed yet, if it is still kept. */
  async function pending(sessionId: number, memberId: number, now: Date): Promise<PendingImport | undefined> {
    const held = await read(sessionId, now);
    return held && held.memberId === memberId ? pendingOf(held) : undefined;
  }

  async function confirm(input: ConfirmInput): Promise<ConfirmOutcome> {
    const key = keyOf(input.sessionId);
    const row = await db.channelState.findUnique({ where: { key } });
    const held = row ? parse(row.value) : undefined;
    if (!row || !held || !live(held, input.now) || held.memberId !== input.memberId || held.sha256 !== input.sha256) return { kind: "gone" };
    // Taking the row is the claim: a second press of the button finds nothing to import.
    if ((await db.channelState.deleteMany({ where: { key, value: row.value } })).count !== 1) return { kind: "gone" };
    const bytes = Buffer.from(held.base64, "base64");
    const run = (dryRun: boolean) => withFile(held.fileName, bytes, (filePath) => importer.importFile({
      filePath, orgCode: input.orgCode, dryRun, now: input.now, actor: input.actor, allowDeactivate: input.allowDeactivate,
    }));
    try {
      const again = await run(true);
      if (!again.ok) return { kind: "changed", report: again };
      const summary = summaryOf(again);
      if (JSON.stringify(summary) !== JSON.stringify(held.summary)) {
        await put(input.sessionId, { ...held, summary });
        return { kind: "changed", report: again, pending: pendingOf({ ...held, summary }) };
      }
      if (summary.needsAllowDeactivate && !input.allowDeactivate) {
        await put(input.sessionId, held);
        return { kind: "needsAllow", pending: pendingOf(held) };
      }
      const done = await run(false);
      return done.ok ? { kind: "done", report: done } : { kind: "changed", report: done };
    } catch (error) {
      // The import wrote nothing (one transaction): the file stays checked, to try again.
      await put(input.sessionId, held);
      throw error;
    }
  }

  async function discard(sessionId: number): Promise<void> {
    await db.channelState.deleteMany({ where: { key: keyOf(sessionId) } });
  }

  /** Removes the checked files nobody confirmed in time (called on every check; cheap when there are none). */
  async function sweep(now: Date): Promise<number> {
    const rows = await db.channelState.findMany({ where: { key: { startsWith: KEY_PREFIX } }, select: { key: true, value: true } });
    let removed = 0;
    for (const row of rows) {
      const held = parse(row.value);
      if (held && live(held, now)) continue;
      removed += (await db.channelState.deleteMany({ where: { key: row.key, value: row.value } })).count;
    }
    return removed;
  }

  async function read(sessionId: number, now: Date): Promise<Held | undefined> {
    const row = await db.channelState.findUnique({ where: { key: keyOf(sessionId) } });
    const held = row ? parse(row.value) : undefined;
    return held && live(held, now) ? held : undefined;
  }

  async function put(sessionId: number, held: Held): Promise<void> {
    const key = keyOf(sessionId);
    const value = JSON.stringify(held);
    await db.channelState.upsert({ where: { key }, create: { key, value }, update: { value } });
  }

  return { preview, pending, confirm, discard, sweep };
}

export type MemberImportUploadService = ReturnType<typeof createMemberImportUploadService>;

const live = (held: Held, now: Date) => Date.parse(held.until) > now.getTime();
const sha256Of = (bytes: Buffer) => crypto.createHash("sha256").update(bytes).digest("hex");

function parse(value: string): Held | undefined {
  try {
    const held = JSON.parse(value) as Held;
    return typeof held.base64 === "string" && typeof held.until === "string" ? held : undefined;
  } catch {
    return undefined;
  }
}

function pendingOf(held: Held): PendingImport {
  return { organizationId: held.organizationId, fileName: held.fileName, sha256: held.sha256, until: new Date(held.until), summary: held.summary };
}

function summaryOf(report: ImportReport): ImportSummary {
  return {
    created: report.created, updated: report.updated, unchanged: report.unchanged, reactivated: report.reactivated,
    leaving: report.deactivated, activeInCells: report.activeInCells, needsAllowDeactivate: report.needsAllowDeactivate,
  };
}

/**
 * The uploaded file's own name, reduced to a plain base name: the importer reads by extension and
 * names the file in its messages, and the name becomes a file in a folder of its own.
 */
export function safeFileName(name: string): string {
  const base = cleanText(name.split(/[\\/]/).pop() ?? "").replace(/[<>:"|?*]/g, "").replace(/^\.+/, "");
  if (base === "") return "upload";
  if ([...base].length <= MAX_FILE_NAME_CHARS) return base;
  const extension = path.extname(base).slice(0, 10);
  return [...base].slice(0, MAX_FILE_NAME_CHARS - extension.length).join("") + extension;
}

/** Lends the importer the bytes as a file of the given name, readable by chibo only, removed afterwards. */
async function withFile<T>(fileName: string, bytes: Buffer, use: (filePath: string) => Promise<T>): Promise<T> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), "chibo-upload-"));
  try {
    const filePath = path.join(dir, fileName);
    await fs.writeFile(filePath, bytes, { mode: 0o600 });
    return await use(filePath);
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}
