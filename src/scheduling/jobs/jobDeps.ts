import type { Outbox } from "../../delivery/outbox.ts";
import type { Language, Translator } from "../../i18n.ts";
import type { FeedbackService } from "../../services/feedback.ts";
import type { Services } from "../../services/index.ts";
import type { RetentionDays } from "../../services/retention.ts";
import type { Db } from "../../storage/database.ts";
import type { NightlyBackupSettings } from "./nightlyBackup.ts";

/** What every scheduled job may use. */
export interface JobDeps {
  db: Db;
  services: Services;
  feedback: FeedbackService;
  outbox: Outbox;
  translator: Translator;
  defaultLanguage: Language;
  /** How long each kind of data is kept; the defaults when not given. */
  retention?: RetentionDays;
  /** The nightly backup; none when not set up (BACKUP_DIR empty). */
  backup?: NightlyBackupSettings;
}
