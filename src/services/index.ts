import type { Db } from "../storage/database.ts";
import { createAttendanceService } from "./attendance.ts";
import { createConsentService, type PrivacySettings } from "./consent.ts";
import { createConsoleAccessService } from "./consoleAccess.ts";
import { createConsoleSessionService, type ConsoleSessionSettings } from "./consoleSessions.ts";
import { createDemoService } from "./demo.ts";
import { createInviteService } from "./invites.ts";
import { createMeetingService } from "./meetings.ts";
import { createMemberDataService } from "./memberData.ts";
import { createMemberImportService } from "./memberImport.ts";
import { createMemberService } from "./members.ts";
import { createOrganizationService } from "./organizations.ts";
import { createRoleService } from "./roles.ts";

/** Every use case over one database: the CLI, the server and tests wire them the same way. */
export function createServices(deps: { db: Db; inviteTtlDays: number; privacy?: PrivacySettings; console?: ConsoleSessionSettings }) {
  const { db } = deps;
  const organizations = createOrganizationService({ db });
  const invites = createInviteService({ db, ttlDays: deps.inviteTtlDays });
  const meetings = createMeetingService({ db, organizations });
  return {
    db,
    organizations,
    invites,
    members: createMemberService({ db }),
    meetings,
    attendance: createAttendanceService({ db, meetings }),
    memberImport: createMemberImportService({ db, organizations }),
    memberData: createMemberDataService({ db, organizations }),
    demo: createDemoService({ db, organizations, invites }),
    consent: createConsentService({ db, ...deps.privacy }),
    consoleSessions: createConsoleSessionService({ db, ...(deps.console ? { settings: deps.console } : {}) }),
    consoleAccess: createConsoleAccessService({ db }),
    roles: createRoleService({ db }),
  };
}

export type Services = ReturnType<typeof createServices>;
