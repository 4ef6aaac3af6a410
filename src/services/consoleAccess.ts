import { isLanguage, type Language } from "../i18n.ts";
import type { ScopedRole } from "../core/authorization.ts";
import type { Db } from "../storage/database.ts";
import { audit } from "./audit.ts";

export interface ConsoleRole extends ScopedRole {
  orgName: string;
}

export interface ConsolePerson {
  id: number;
  fullName: string;
  cellId: number;
  cellName: string;
  language: Language;
  roles: ConsoleRole[];
}

/** Who is signed in to the console: the member, their cell and their roles with the organizations' names. */
export function createConsoleAccessService(deps: { db: Db }) {
  const { db } = deps;

  async function person(memberId: number): Promise<ConsolePerson | null> {
    const member = await db.member.findUnique({
      where: { id: memberId },
      select: {
        id: true, fullName: true, cellId: true, language: true, deactivatedAt: true, erasedAt: true, cell: { select: { name: true } },
        roles: { select: { role: true, organizationId: true, organization: { select: { path: true, name: true } } }, orderBy: { id: "asc" } },
      },
    });
    if (!member || member.deactivatedAt || member.erasedAt) return null;
    return {
      id: member.id, fullName: member.fullName, cellId: member.cellId, cellName: member.cell.name,
      language: isLanguage(member.language) ? member.language : "vi",
      roles: member.roles.map((r) => ({ role: r.role, organizationId: r.organizationId, orgPath: r.organization.path, orgName: r.organization.name })),
    };
  }

  /** The language the member reads chibo in, in chat and console alike. */
  async function setLanguage(memberId: number, language: Language, now: Date): Promise<void> {
    await db.$transaction(async (tx) => {
      await tx.member.update({ where: { id: memberId }, data: { language } });
      await audit(tx, now, { actor: { kind: "console", memberId }, action: "update", subjectType: "Member", subjectId: memberId, detail: `language ${language}` });
    });
  }

  return { person, setLanguage };
}

export type ConsoleAccessService = ReturnType<typeof createConsoleAccessService>;
