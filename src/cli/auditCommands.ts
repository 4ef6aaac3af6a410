import type { Command } from "commander";
import { DomainError } from "../domain/errors.ts";
import { addDays, formatDisplayDateTime, fromLocal, parseIsoDate } from "../domain/localTime.ts";
import { cleanText } from "../domain/text.ts";
import { AUDIT_ACTIONS, CLI_ACTOR } from "../services/audit.ts";
import { AUDIT_LIST_MAX, listAuditLog, type AuditFilter, type AuditRow } from "../services/auditLog.ts";
import type { Services } from "../services/index.ts";
import type { CliContext } from "./context.ts";
import { intOption } from "./options.ts";

const DEFAULT_LIMIT = 50;
/** An --actor of letters only is a kind of actor ("cli", "system", "web"); anything else names a member. */
const ACTOR_KIND = /^[a-z_]+$/i;
const SUBJECT = /^([A-Za-z]+)(?::(\S+))?$/;

interface AuditOptions {
  actor?: string;
  action?: string;
  subject?: string;
  since?: string;
  until?: string;
  limit?: string;
  json?: boolean;
}

export function registerAuditCommand(program: Command, ctx: CliContext): void {
  const { t } = ctx;
  program.command("audit").description(t("cli:auditDescription"))
    .option("--actor <phone|#id|kind>", t("cli:optAuditActor"))
    .option("--action <action>", t("cli:optAuditAction"))
    .option("--subject <type[:id]>", t("cli:optAuditSubject"))
    .option("--since <YYYY-MM-DD>", t("cli:optAuditSince"))
    .option("--until <YYYY-MM-DD>", t("cli:optAuditUntil"))
    .option("--limit <n>", t("cli:optAuditLimit", { max: AUDIT_LIST_MAX, defaultLimit: DEFAULT_LIMIT }))
    .option("--json", t("cli:optJson"))
    .action(async (o: AuditOptions) => {
      const services = await ctx.services();
      const rows = await listAuditLog(services.db, await filterFrom(o, services), ctx.clock.now(), CLI_ACTOR);
      if (o.json) {
        ctx.out(JSON.stringify({ rows: rows.map((r) => ({ ...r, at: r.at.toISOString() })) }, null, 2));
        return;
      }
      for (const row of rows) ctx.out(line(ctx, row));
      ctx.out(rows.length ? t("cli:auditCount", { count: rows.length }) : t("cli:auditEmpty"));
    });
}

/** The options checked and turned into a filter; a bad value is a message naming it. */
async function filterFrom(o: AuditOptions, services: Services): Promise<AuditFilter> {
  const limit = o.limit === undefined ? DEFAULT_LIMIT : intOption("--limit", o.limit);
  if (limit < 1 || limit > AUDIT_LIST_MAX) throw new DomainError("cli:auditBadLimit", { value: String(limit), max: AUDIT_LIST_MAX });
  const filter: AuditFilter = { limit };
  if (o.actor !== undefined) {
    if (ACTOR_KIND.test(o.actor.trim())) filter.actorKind = o.actor.trim().toLowerCase();
    else filter.actorId = (await services.members.find(o.actor)).id;
  }
  if (o.action !== undefined) {
    const action = AUDIT_ACTIONS.find((a) => a === o.action?.trim().toLowerCase());
    if (!action) throw new DomainError("cli:auditBadAction", { value: o.action, actions: AUDIT_ACTIONS.join(", ") });
    filter.action = action;
  }
  if (o.subject !== undefined) {
    const match = SUBJECT.exec(o.subject.trim());
    if (!match) throw new DomainError("cli:auditBadSubject", { value: o.subject });
    filter.subjectType = match[1]!;
    if (match[2] !== undefined) filter.subjectId = match[2].replace(/^#/, "");
  }
  // Whole local days: --since from its first minute, --until to its last.
  if (o.since !== undefined) filter.since = fromLocal({ ...dayOption("--since", o.since), hour: 0, minute: 0 });
  if (o.until !== undefined) filter.until = fromLocal({ ...addDays(dayOption("--until", o.until), 1), hour: 0, minute: 0 });
  if (filter.since && filter.until && filter.since >= filter.until) throw new DomainError("cli:auditSinceAfterUntil", { since: o.since!, until: o.until! });
  return filter;
}

function dayOption(option: string, value: string) {
  const day = parseIsoDate(value);
  if (!day) throw new DomainError("cli:badDay", { option, value });
  return day;
}

/** "03/12/2026 10:00  Đỗ Thị Tám (#2)  xem  Roster:5  present 1, …" */
function line(ctx: CliContext, row: AuditRow): string {
  const { t } = ctx;
  const subject = row.subjectId === null ? row.subjectType : `${row.subjectType}:${row.subjectId}`;
  const action = t(`cli:auditAction_${row.action}`, { defaultValue: row.action });
  const detail = row.detail ? `  ${cleanText(row.detail)}` : "";
  return `${formatDisplayDateTime(row.at)}  ${actorLabel(ctx, row.actor)}  ${action}  ${subject}${detail}`;
}

function actorLabel({ t }: CliContext, actor: AuditRow["actor"]): string {
  // Rows of members since erased keep only the id.
  const member = actor.id === null ? null : actor.name ? `${cleanText(actor.name)} (#${actor.id})` : `#${actor.id}`;
  if (actor.kind === "cli") return t("cli:auditActorCli");
  if (actor.kind === "system") return member ? t("cli:auditActorSentTo", { member }) : t("cli:auditActorSystem");
  if (!member) return actor.kind;
  return actor.kind === "member" ? member : `${member} [${actor.kind}]`;
}
