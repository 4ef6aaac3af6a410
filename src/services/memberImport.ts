import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { searchKey } from "../domain/text.ts";
import type { Member, Organization } from "../generated/prisma/client.ts";
import { MEMBER_FIELDS } from "../importing/columns.ts";
import { checkMemberRows, type MemberDraft, type RowProblem } from "../importing/memberRows.ts";
import { readTable } from "../importing/readTable.ts";
import { chunked, inChunks, rowsPerStatement } from "../storage/chunks.ts";
import type { Db, Tx } from "../storage/database.ts";
import { audit, type Actor } from "./audit.ts";
import { revokeAccess } from "./memberAccess.ts";
import type { OrganizationService } from "./organizations.ts";

/** A large list is thousands of rows: give the one all-or-nothing transaction time to finish. */
const LONG_TRANSACTION = { maxWait: 10_000, timeout: 120_000 };
const POSITION_ROLES = ["secretary", "deputy_secretary", "committee_member"] as const;
/** Every column of a Member row, given or filled in: what one row of a multi-row insert binds at most. */
const MEMBER_COLUMNS = 16;

export interface ImportReport {
  ok: boolean;
  dryRun: boolean;
  problems: RowProblem[];
  created: number;
  updated: number;
  unchanged: number;
  /** Members back on the list after they had left it (counted in `updated` too). */
  reactivated: number;
  /** Active members of the cells the file lists whom the file no longer names: they lose their access. */
  deactivated: LeavingMember[];
  /** How many active members the cells the file lists have. */
  activeInCells: number;
  /** More than half of those cells' active members would leave: done only when the caller allows it. */
  needsAllowDeactivate: boolean;
}

export interface ImportInput {
  filePath: string;
  orgCode: string;
  dryRun: boolean;
  now: Date;
  actor: Actor;
  /** Deactivate the members who left even when they are more than half of the listed cells' members. */
  allowDeactivate?: boolean;
}

export interface LeavingMember {
  id: number;
  fullName: string;
  cellName: string;
}

interface PlannedRow {
  draft: MemberDraft;
  cell: Organization;
  existing: (Member & { roles: { role: string; organizationId: number }[] }) | null;
}

/**
 * Imports a secretary's member list into one subtree. All or nothing: with any bad row nothing is
 * written. Re-importing the same file changes nothing, because rows are matched to existing
 * members (by phone, else by name and birth date) and only real differences are written. A
 * commune's list has thousands of rows: members are looked up and created a chunk of rows per
 * statement, not one query per row.
 *
 * The file is the truth for the cells it lists: an active member of one of those cells whom no row
 * names has left the list and is deactivated (no role, no linked chat, no usable invite code, no
 * message; the history stays). Cells the file does not list are left alone, so a file of one cell
 * imported for the commune touches only that cell. A member who comes back in a later file is
 * active again and needs a new invite to link a chat. A file that would deactivate more than half
 * of its cells' active members is more likely the wrong file: it is refused unless allowed.
 */
export function createMemberImportService(deps: { db: Db; organizations: OrganizationService }) {
  const { db, organizations } = deps;

  async function importFile(input: ImportInput): Promise<ImportReport> {
    const org = await organizations.findByCode(input.orgCode);
    const rows = checkMemberRows(await readTable(input.filePath));
    const problems = rows.flatMap((row) => row.problems);
    const cellNamed = cellMatcher(await organizations.cellsUnder(org.code));
    const known = await knownMembers(rows.map((row) => row.draft).filter((draft) => draft.fullName !== ""), org.path);
    const plan: PlannedRow[] = [];
    // Every row is checked against the database too, a row already wrong included: the secretary
    // sees all that is wrong with a row at once, not one more thing after each fix.
    for (const { draft, problems: ofRow } of rows) {
      const found: RowProblem[] = [];
      const cell = draft.cellName === "" ? undefined : cellNamed(draft.cellName);
      if (draft.cellName !== "" && !cell) {
        found.push({ line: draft.line, field: "cell", code: "import:unknownCell", params: { value: draft.cellName, org: org.name } });
      }
      // Who the row is can only be looked up when its name and birth date were read.
      const identityRead = !ofRow.some((p) => p.field === "fullName" || p.field === "birthDate");
      const existing = identityRead ? known.existing(draft) : null;
      if (draft.phone && !existing && known.phoneOutside(draft.phone)) {
        // Someone outside this list's organization: never named, never moved or changed from here.
        found.push({ line: draft.line, field: "phone", code: "import:phoneUsedElsewhere", params: { value: draft.phone, org: org.name } });
      } else if (existing && draft.phone && existing.phone === draft.phone && existing.searchName !== searchKey(draft.fullName)) {
        found.push({ line: draft.line, field: "phone", code: "import:phoneBelongsToOther", params: { value: draft.phone, name: existing.fullName } });
      } else if (existing && draft.phone && existing.phone !== draft.phone && known.hasPhone(draft.phone)) {
        found.push({ line: draft.line, field: "phone", code: "import:phoneBelongsToOther", params: { value: draft.phone, name: "?" } });
      }
      problems.push(...found);
      if (ofRow.length === 0 && found.length === 0 && cell) plan.push({ draft, cell, existing });
    }
    problems.sort(byLineAndColumn);

    const changes = plan.map((row) => ({ row, kind: classify(row) }));
    const count = (kind: string) => changes.filter((c) => c.kind === kind).length;
    const nothing = { created: 0, updated: 0, unchanged: 0, reactivated: 0, deactivated: [], activeInCells: 0, needsAllowDeactivate: false };
    if (problems.length > 0) return { ...nothing, ok: false, dryRun: input.dryRun, problems };
    const leaving = await leavingMembers(plan);
    const report = {
      dryRun: input.dryRun, problems, created: count("create"), updated: count("update"), unchanged: count("unchanged"),
      reactivated: plan.filter((row) => row.existing?.deactivatedAt).length,
      deactivated: leaving.members, activeInCells: leaving.active, needsAllowDeactivate: leaving.members.length * 2 > leaving.active,
    };
    if (input.dryRun) return { ...report, ok: true };
    if (report.needsAllowDeactivate && !input.allowDeactivate) return { ...report, ok: false };

    await db.$transaction(async (tx) => {
      // Changes first, in the file's order: a phone a member gives up is then free for a new one.
      for (const { row, kind } of changes) {
        if (kind !== "update") continue;
        await tx.member.update({ where: { id: row.existing!.id }, data: { ...memberData(row.draft, row.cell), deactivatedAt: null } });
        await syncRoles(tx, row.existing!.id, row);
      }
      await createMembers(tx, changes.filter((c) => c.kind === "create").map((c) => c.row));
      await deactivate(tx, report.deactivated.map((m) => m.id), input.now, input.actor, path.basename(input.filePath));
      await tx.importRun.create({
        data: {
          fileName: path.basename(input.filePath),
          fileSha256: crypto.createHash("sha256").update(fs.readFileSync(input.filePath)).digest("hex"),
          organizationId: org.id,
          created: report.created,
          updated: report.updated,
          unchanged: report.unchanged,
          at: input.now,
        },
      });
      await audit(tx, input.now, {
        actor: input.actor,
        action: "import",
        subjectType: "Member",
        detail: `${path.basename(input.filePath)}: ${report.created} created, ${report.updated} updated (${report.reactivated} back on the list), `
          + `${report.unchanged} unchanged, ${report.deactivated.length} deactivated`,
      });
    }, LONG_TRANSACTION);
    return { ...report, ok: true };
  }

  /**
   * The members the rows may be, read a chunk of rows per statement: by phone, else the first by
   * name and birth date — only members of the organization's own subtree, so a list can neither
   * move nor change a member of another commune, nor tell whose a phone number is there; and
   * whether a phone is taken, inside the subtree or outside it.
   */
  async function knownMembers(drafts: MemberDraft[], orgPath: string) {
    const phones = [...new Set(drafts.flatMap((d) => (d.phone ? [d.phone] : [])))];
    const names = [...new Set(drafts.map((d) => searchKey(d.fullName)))];
    const inside = { cell: { path: { startsWith: orgPath } } };
    // An erased member is nobody a row can be: a person listed again after erasure is a new record.
    const withPhone = await inChunks(phones, (chunk) => db.member.findMany({ where: { phone: { in: chunk }, erasedAt: null, ...inside } }));
    const withName = await inChunks(names, (chunk) => db.member.findMany({ where: { searchName: { in: chunk }, erasedAt: null, ...inside } }));
    const outside = new Set((await inChunks(phones, (chunk) => db.member.findMany({
      where: { phone: { in: chunk }, NOT: inside }, select: { phone: true },
    }))).map((m) => m.phone));
    const members = new Map([...withPhone, ...withName].map((m) => [m.id, { ...m, roles: [] as { role: string; organizationId: number }[] }]));
    const roles = await inChunks([...members.keys()], (chunk) => db.role.findMany({ where: { memberId: { in: chunk } }, select: { memberId: true, role: true, organizationId: true }, orderBy: { id: "asc" } }));
    for (const { memberId, role, organizationId } of roles) members.get(memberId)!.roles.push({ role, organizationId });
    const byPhone = new Map<string, NonNullable<PlannedRow["existing"]>>();
    const byName = new Map<string, NonNullable<PlannedRow["existing"]>>();
    for (const member of [...members.values()].sort((a, b) => a.id - b.id)) {
      if (member.phone) byPhone.set(member.phone, member);
      const key = `${member.searchName}|${member.birthDate ?? ""}`;
      if (!byName.has(key)) byName.set(key, member);
    }
    return {
      existing: (draft: MemberDraft) => (draft.phone ? byPhone.get(draft.phone) : undefined) ?? byName.get(`${searchKey(draft.fullName)}|${draft.birthDate ?? ""}`) ?? null,
      hasPhone: (phone: string) => byPhone.has(phone) || outside.has(phone),
      phoneOutside: (phone: string) => outside.has(phone),
    };
  }

  /** The active members of the cells the file lists that no row of it names, and how many active members those cells have. */
  async function leavingMembers(plan: PlannedRow[]): Promise<{ members: LeavingMember[]; active: number }> {
    const cells = new Map(plan.map((row) => [row.cell.id, row.cell]));
    const named = new Set(plan.flatMap((row) => (row.existing ? [row.existing.id] : [])));
    const active = await inChunks([...cells.keys()], (chunk) =>
      db.member.findMany({ where: { cellId: { in: chunk }, deactivatedAt: null }, select: { id: true, fullName: true, cellId: true } }));
    const members = active
      .filter((m) => !named.has(m.id))
      .sort((a, b) => a.cellId - b.cellId || a.id - b.id)
      .map((m) => ({ id: m.id, fullName: m.fullName, cellName: cells.get(m.cellId)!.name }));
    return { members, active: active.length };
  }

  return { importFile };
}

/** A row's problems in the order of the list's columns, the row as a whole last. */
const FIELD_ORDER: readonly string[] = [...MEMBER_FIELDS, "row"];
function byLineAndColumn(a: RowProblem, b: RowProblem): number {
  return a.line - b.line || FIELD_ORDER.indexOf(a.field) - FIELD_ORDER.indexOf(b.field);
}

/** Members who left the list: deactivated, their access taken away, each change in the audit log by id. */
async function deactivate(tx: Tx, memberIds: number[], now: Date, actor: Actor, fileName: string): Promise<void> {
  if (memberIds.length === 0) return;
  for (const chunk of chunked(memberIds)) {
    await tx.member.updateMany({ where: { id: { in: chunk }, deactivatedAt: null }, data: { deactivatedAt: now } });
  }
  await revokeAccess(tx, memberIds, now);
  const rows = memberIds.map((id) => ({
    actorKind: actor.kind, actorId: actor.memberId ?? null, action: "update", subjectType: "Member", subjectId: String(id),
    detail: `deactivated: not in ${fileName}`, at: now,
  }));
  for (const part of chunked(rows, rowsPerStatement(7))) await tx.auditLog.createMany({ data: part });
}

/** Finds a cell by the name a list gives it: its name or code, else its name without "Chi bộ". */
function cellMatcher(cells: Organization[]): (cellName: string) => Organization | undefined {
  const withoutPrefix = (name: string) => name.replace(/^chi bo\s+/, "");
  const exact = new Map<string, Organization>();
  const loose = new Map<string, Organization>();
  // The first cell that matches wins, as a scan of the list would find it.
  for (const cell of [...cells].reverse()) {
    exact.set(cell.code, cell);
    exact.set(cell.searchName, cell);
    loose.set(withoutPrefix(cell.searchName), cell);
  }
  return (cellName) => {
    const key = searchKey(cellName);
    return exact.get(key) ?? loose.get(withoutPrefix(key));
  };
}

function memberData(draft: MemberDraft, cell: Organization) {
  return {
    fullName: draft.fullName,
    searchName: searchKey(draft.fullName),
    phone: draft.phone,
    birthDate: draft.birthDate,
    status: draft.status,
    admittedOn: draft.admittedOn,
    fullMembershipOn: draft.fullMembershipOn,
    cellId: cell.id,
  };
}

function wantedRoles(draft: MemberDraft): string[] {
  return draft.role === "member" ? ["member"] : ["member", draft.role];
}

function classify(row: PlannedRow): "create" | "update" | "unchanged" {
  if (!row.existing) return "create";
  if (row.existing.deactivatedAt) return "update";
  const data = memberData(row.draft, row.cell);
  const same = (Object.keys(data) as (keyof typeof data)[]).every((key) => row.existing?.[key] === data[key]);
  const roles = row.existing.roles
    .filter((r) => r.organizationId === row.cell.id)
    .map((r) => r.role)
    .sort();
  return same && roles.join() === wantedRoles(row.draft).sort().join() ? "unchanged" : "update";
}

/**
 * New members a chunk of rows per statement, then their roles. AUTOINCREMENT ids grow in the order
 * a statement's rows go in, so the ids sorted pair with the chunk's rows.
 */
async function createMembers(tx: Tx, rows: PlannedRow[]): Promise<void> {
  for (const chunk of chunked(rows, rowsPerStatement(MEMBER_COLUMNS))) {
    const created = (await tx.member.createManyAndReturn({ data: chunk.map((row) => memberData(row.draft, row.cell)), select: { id: true, searchName: true } })).sort((a, b) => a.id - b.id);
    const roles = chunk.flatMap((row, i) => {
      const member = created[i];
      if (member?.searchName !== searchKey(row.draft.fullName)) throw new Error(`member import: created rows came back out of order at line ${row.draft.line}`);
      return wantedRoles(row.draft).map((role) => ({ memberId: member.id, organizationId: row.cell.id, role }));
    });
    for (const part of chunked(roles, rowsPerStatement(3))) await tx.role.createMany({ data: part });
  }
}

/** The file is the truth for a member's cell and position in it; reviewer roles are left alone. */
async function syncRoles(tx: Tx, memberId: number, row: PlannedRow): Promise<void> {
  const wanted = wantedRoles(row.draft);
  await tx.role.deleteMany({
    where: {
      memberId,
      role: { in: ["member", ...POSITION_ROLES] },
      NOT: { organizationId: row.cell.id, role: { in: wanted } },
    },
  });
  for (const role of wanted) {
    await tx.role.upsert({
      where: { memberId_organizationId_role: { memberId, organizationId: row.cell.id, role } },
      create: { memberId, organizationId: row.cell.id, role },
      update: {},
    });
  }
}
