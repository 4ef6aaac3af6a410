import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { searchKey } from "../domain/text.ts";
import type { Member, Organization } from "../generated/prisma/client.ts";
import { parseMemberRows, type MemberDraft, type RowProblem } from "../importing/memberRows.ts";
import { readTable } from "../importing/readTable.ts";
import type { Db, Tx } from "../storage/database.ts";
import { audit, type Actor } from "./audit.ts";
import type { OrganizationService } from "./organizations.ts";

/** A large list is thousands of rows: give the one all-or-nothing transaction time to finish. */
const LONG_TRANSACTION = { maxWait: 10_000, timeout: 120_000 };
const POSITION_ROLES = ["secretary", "deputy_secretary", "committee_member"] as const;

export interface ImportReport {
  ok: boolean;
  dryRun: boolean;
  problems: RowProblem[];
  created: number;
  updated: number;
  unchanged: number;
}

interface PlannedRow {
  draft: MemberDraft;
  cell: Organization;
  existing: (Member & { roles: { role: string; organizationId: number }[] }) | null;
}

/**
 * Imports a secretary's member list into one subtree. All or nothing: with any bad row nothing is
 * written. Re-importing the same file changes nothing, because rows are matched to existing
 * members (by phone, else by name and birth date) and only real differences are written.
 */
export function createMemberImportService(deps: { db: Db; organizations: OrganizationService }) {
  const { db, organizations } = deps;

  async function importFile(input: { filePath: string; orgCode: string; dryRun: boolean; now: Date; actor: Actor }): Promise<ImportReport> {
    const org = await organizations.findByCode(input.orgCode);
    const { drafts, problems } = parseMemberRows(await readTable(input.filePath));
    const cells = await organizations.cellsUnder(org.code);
    const plan: PlannedRow[] = [];
    for (const draft of drafts) {
      const cell = matchCell(cells, draft.cellName);
      if (!cell) {
        problems.push({ line: draft.line, field: "cell", code: "import:unknownCell", params: { value: draft.cellName, org: org.name } });
        continue;
      }
      const existing = await findExisting(draft);
      if (existing && draft.phone && existing.phone === draft.phone && existing.searchName !== searchKey(draft.fullName)) {
        problems.push({ line: draft.line, field: "phone", code: "import:phoneBelongsToOther", params: { value: draft.phone, name: existing.fullName } });
        continue;
      }
      if (existing && draft.phone && existing.phone !== draft.phone && (await db.member.findUnique({ where: { phone: draft.phone } }))) {
        problems.push({ line: draft.line, field: "phone", code: "import:phoneBelongsToOther", params: { value: draft.phone, name: "?" } });
        continue;
      }
      plan.push({ draft, cell, existing });
    }
    problems.sort((a, b) => a.line - b.line);

    const changes = plan.map((row) => ({ row, kind: classify(row) }));
    const count = (kind: string) => changes.filter((c) => c.kind === kind).length;
    const report = { dryRun: input.dryRun, problems, created: count("create"), updated: count("update"), unchanged: count("unchanged") };
    if (problems.length > 0) return { ...report, ok: false, created: 0, updated: 0, unchanged: 0 };
    if (input.dryRun) return { ...report, ok: true };

    await db.$transaction(async (tx) => {
      for (const { row, kind } of changes) {
        if (kind === "unchanged") continue;
        const data = memberData(row.draft, row.cell);
        const member = row.existing
          ? await tx.member.update({ where: { id: row.existing.id }, data })
          : await tx.member.create({ data });
        await syncRoles(tx, member.id, row);
      }
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
        detail: `${path.basename(input.filePath)}: ${report.created} created, ${report.updated} updated, ${report.unchanged} unchanged`,
      });
    }, LONG_TRANSACTION);
    return { ...report, ok: true };
  }

  async function findExisting(draft: MemberDraft) {
    const include = { roles: { select: { role: true, organizationId: true } } };
    if (draft.phone) {
      const byPhone = await db.member.findUnique({ where: { phone: draft.phone }, include });
      if (byPhone) return byPhone;
    }
    return db.member.findFirst({ where: { searchName: searchKey(draft.fullName), birthDate: draft.birthDate }, include });
  }

  return { importFile };
}

function matchCell(cells: Organization[], cellName: string): Organization | undefined {
  const key = searchKey(cellName);
  const withoutPrefix = (name: string) => name.replace(/^chi bo\s+/, "");
  return (
    cells.find((c) => c.searchName === key || c.code === key) ??
    cells.find((c) => withoutPrefix(c.searchName) === withoutPrefix(key))
  );
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
  const data = memberData(row.draft, row.cell);
  const same = (Object.keys(data) as (keyof typeof data)[]).every((key) => row.existing?.[key] === data[key]);
  const roles = row.existing.roles
    .filter((r) => r.organizationId === row.cell.id)
    .map((r) => r.role)
    .sort();
  return same && roles.join() === wantedRoles(row.draft).sort().join() ? "unchanged" : "update";
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
