import { checkAnswerTemplate, type AnswerTemplateDraft } from "../domain/answerTemplate.ts";
import { DomainError } from "../domain/errors.ts";
import { pathIds } from "../domain/organization.ts";
import type { Db } from "../storage/database.ts";
import { audit } from "./audit.ts";
import { actorOf, assertCanReview, type FeedbackViewer } from "./feedbackAccess.ts";
import { reviewedPaths } from "./feedbackQueueScope.ts";

export interface AnswerTemplateView {
  id: number;
  organizationId: number;
  organizationName: string;
  organizationPath: string;
  title: string;
  text: string;
  updatedAt: Date;
}

/** Past this many organizations under a reviewer, templates are kept for the communes and above only. */
const MAX_ORG_CHOICES = 400;

const SELECT = { id: true, title: true, text: true, updatedAt: true, organization: { select: { id: true, name: true, path: true } } } as const;
type Row = { id: number; title: string; text: string; updatedAt: Date; organization: { id: number; name: string; path: string } };
const view = (r: Row): AnswerTemplateView => ({
  id: r.id, title: r.title, text: r.text, updatedAt: r.updatedAt,
  organizationId: r.organization.id, organizationName: r.organization.name, organizationPath: r.organization.path,
});

const notFound = () => new DomainError("consoleFeedback:templateNotFound");

/**
 * Ready answers, kept per organization by the reviewers of its subtree: a reviewer keeps those of
 * the organizations they review (and below), and answering an item may start from those of the
 * organizations above its cell. A template of another subtree is "not found".
 */
export function createAnswerTemplateService(deps: { db: Db }) {
  const { db } = deps;

  const inScope = (paths: string[], path: string) => paths.some((p) => path.startsWith(p));

  /** The organizations the viewer may keep templates for, top first. */
  async function organizationsFor(viewer: FeedbackViewer): Promise<{ id: number; name: string }[]> {
    const paths = await reviewedPaths(db, viewer);
    if (paths.length === 0) return [];
    const below = { OR: paths.map((p) => ({ path: { startsWith: p } })), level: { not: "cell" } };
    const many = (await db.organization.count({ where: below })) > MAX_ORG_CHOICES;
    return db.organization.findMany({
      where: many ? { ...below, level: { in: ["province", "base"] } } : below,
      select: { id: true, name: true },
      orderBy: { path: "asc" },
    });
  }

  async function list(viewer: FeedbackViewer): Promise<AnswerTemplateView[]> {
    const paths = await reviewedPaths(db, viewer);
    if (paths.length === 0) return [];
    const rows = await db.answerTemplate.findMany({
      where: { organization: { OR: paths.map((p) => ({ path: { startsWith: p } })) } },
      orderBy: [{ organization: { path: "asc" } }, { title: "asc" }, { id: "asc" }],
      select: SELECT,
    });
    return rows.map(view);
  }

  async function get(id: number, viewer: FeedbackViewer): Promise<AnswerTemplateView> {
    const row = await db.answerTemplate.findUnique({ where: { id }, select: SELECT });
    if (!row || !inScope(await reviewedPaths(db, viewer), row.organization.path)) throw notFound();
    return view(row);
  }

  async function create(viewer: FeedbackViewer, organizationId: number, draft: AnswerTemplateDraft, now: Date): Promise<AnswerTemplateView> {
    const checked = checkAnswerTemplate(draft);
    const org = await db.organization.findUnique({ where: { id: organizationId }, select: { id: true, path: true } });
    if (!org || !inScope(await reviewedPaths(db, viewer), org.path)) throw new DomainError("consoleFeedback:templateOrgRequired");
    return db.$transaction(async (tx) => {
      const row = await tx.answerTemplate.create({
        data: { organizationId: org.id, ...checked, createdById: viewer.memberId, createdAt: now, updatedAt: now }, select: SELECT,
      });
      await audit(tx, now, { actor: actorOf(viewer), action: "create", subjectType: "AnswerTemplate", subjectId: row.id, detail: `org #${org.id}` });
      return view(row);
    });
  }

  async function update(id: number, viewer: FeedbackViewer, draft: AnswerTemplateDraft, now: Date): Promise<void> {
    const checked = checkAnswerTemplate(draft);
    const found = await get(id, viewer);
    await db.$transaction(async (tx) => {
      await tx.answerTemplate.update({ where: { id }, data: { ...checked, updatedAt: now } });
      await audit(tx, now, { actor: actorOf(viewer), action: "update", subjectType: "AnswerTemplate", subjectId: id, detail: `org #${found.organizationId}` });
    });
  }

  async function remove(id: number, viewer: FeedbackViewer, now: Date): Promise<void> {
    const found = await get(id, viewer);
    await db.$transaction(async (tx) => {
      await tx.answerTemplate.delete({ where: { id } });
      await audit(tx, now, { actor: actorOf(viewer), action: "delete", subjectType: "AnswerTemplate", subjectId: id, detail: `org #${found.organizationId}` });
    });
  }

  /** The templates an answer to this item may start from: those of the organizations above its cell, nearest last. */
  async function forItem(itemId: number, viewer: FeedbackViewer): Promise<AnswerTemplateView[]> {
    const item = await db.feedback.findUnique({ where: { id: itemId }, select: { cell: { select: { path: true } } } });
    if (!item) throw new DomainError("feedback:notFound", { value: `#${itemId}` });
    await assertCanReview(db, viewer, item.cell.path, `#${itemId}`);
    const rows = await db.answerTemplate.findMany({
      where: { organizationId: { in: pathIds(item.cell.path) } },
      orderBy: [{ organization: { path: "asc" } }, { title: "asc" }, { id: "asc" }],
      select: SELECT,
    });
    return rows.map(view);
  }

  return { organizationsFor, list, get, create, update, remove, forItem };
}

export type AnswerTemplateService = ReturnType<typeof createAnswerTemplateService>;
