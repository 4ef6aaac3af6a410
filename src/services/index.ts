import { createOutbox } from "../delivery/outbox.ts";
import { createTranslator, type Language, type Translator } from "../i18n.ts";
import type { Db } from "../storage/database.ts";
import { createAnswerTemplateService } from "./answerTemplates.ts";
import { createAttendanceService } from "./attendance.ts";
import { systemClock, type Clock } from "./clock.ts";
import { createConsentService, type PrivacySettings } from "./consent.ts";
import { createConsoleAccessService } from "./consoleAccess.ts";
import { createConsoleSessionService, type ConsoleSessionSettings } from "./consoleSessions.ts";
import { createDemoService } from "./demo.ts";
import { createFeedbackDeskService } from "./feedbackDesk.ts";
import { createFeedbackQueueService } from "./feedbackQueue.ts";
import { createGroupChatService } from "./groupChats.ts";
import { createInviteService } from "./invites.ts";
import { createInviteSlipService } from "./inviteSlips.ts";
import { createMeetingHeldService } from "./meetingHeld.ts";
import { createMeetingConsoleService } from "./meetingConsole.ts";
import { createMeetingService } from "./meetings.ts";
import { createMeetingSetupService } from "./meetingSetup.ts";
import { createMemberDataService } from "./memberData.ts";
import { createMemberDirectoryService } from "./memberDirectory.ts";
import { createMemberImportService } from "./memberImport.ts";
import { createMemberImportUploadService } from "./memberImportUploads.ts";
import { createMemberService } from "./members.ts";
import type { Messaging } from "./messaging.ts";
import { createNoticeService } from "./notices.ts";
import { createNoticeBoardService } from "./noticeBoard.ts";
import { createMyPageService } from "./myPage.ts";
import { createOrganizationService } from "./organizations.ts";
import { createOrganizationAdminService } from "./organizationAdmin.ts";
import { createOrganizationOfficerService } from "./organizationOfficers.ts";
import { createOrganizationTreeService } from "./organizationTree.ts";
import { createOverviewReport } from "./overviewReport.ts";
import { createPostponementService } from "./postponements.ts";
import { createReviewScopeService } from "./reviewScopes.ts";
import { createRoleService } from "./roles.ts";
import { createRollCallService } from "./rollCalls.ts";
import { createScheduleService } from "./schedules.ts";

export interface ServiceDeps {
  db: Db;
  inviteTtlDays: number;
  privacy?: PrivacySettings;
  console?: ConsoleSessionSettings;
  /**
   * The time the messages of notices and postponements are queued at (the outbox's clock, which
   * the quiet hours read); the system's by default. Each use case is given its `now` apart.
   */
  clock?: Clock;
  /** The words of those messages; the locales read when first needed by default. */
  translator?: Translator;
  /** The language of group chats; Vietnamese by default. */
  defaultLanguage?: Language;
}

/** Every use case over one database: the CLI, the server and tests wire them the same way. */
export function createServices(deps: ServiceDeps) {
  const { db } = deps;
  const defaultLanguage = deps.defaultLanguage ?? "vi";
  let translator = deps.translator;
  const messaging: Messaging = {
    outbox: createOutbox({ db, clock: deps.clock ?? systemClock }),
    // Read only when a message is written: the CLI and most tests never need the locales here.
    get translator() {
      return (translator ??= createTranslator({ defaultLanguage }));
    },
    defaultLanguage,
  };
  const organizations = createOrganizationService({ db });
  const invites = createInviteService({ db, ttlDays: deps.inviteTtlDays });
  const meetings = createMeetingService({ db, organizations });
  const attendance = createAttendanceService({ db, meetings });
  return {
    db,
    organizations,
    invites,
    members: createMemberService({ db }),
    meetings,
    attendance,
    rollCalls: createRollCallService({ db, attendance }),
    meetingHeld: createMeetingHeldService({ db, meetings, attendance }),
    meetingSetup: createMeetingSetupService({ db, organizations, meetings, attendance }),
    schedules: createScheduleService({ db, meetings, attendance }),
    postponements: createPostponementService({ db, meetings, messaging }),
    meetingConsole: createMeetingConsoleService({ db, organizations, meetings, attendance, messaging }),
    notices: createNoticeService({ db, messaging }),
    noticeBoard: createNoticeBoardService({ db }),
    myPage: createMyPageService({ db, meetings }),
    groupChats: createGroupChatService({ db }),
    reviewScopes: createReviewScopeService({ db }),
    memberImport: createMemberImportService({ db, organizations }),
    memberData: createMemberDataService({ db, organizations }),
    memberDirectory: createMemberDirectoryService({ db }),
    memberImportUploads: createMemberImportUploadService({ db, organizations }),
    inviteSlips: createInviteSlipService({ db, invites }),
    demo: createDemoService({ db, organizations, invites }),
    consent: createConsentService({ db, ...deps.privacy }),
    consoleSessions: createConsoleSessionService({ db, ...(deps.console ? { settings: deps.console } : {}) }),
    consoleAccess: createConsoleAccessService({ db }),
    roles: createRoleService({ db }),
    feedbackQueue: createFeedbackQueueService({ db }),
    feedbackDesk: createFeedbackDeskService({ db }),
    answerTemplates: createAnswerTemplateService({ db }),
    organizationAdmin: createOrganizationAdminService({ db }),
    organizationTree: createOrganizationTreeService({ db }),
    organizationOfficers: createOrganizationOfficerService({ db }),
    overviewReport: createOverviewReport({ db }),
  };
}

export type Services = ReturnType<typeof createServices>;
