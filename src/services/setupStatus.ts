import type { TFunction } from "i18next";
import type { Db } from "../storage/database.ts";

/** What the operator should do next, said in the start log. */
export async function describeSetup(db: Db, t: TFunction, channels: { telegram: boolean; webChatUrl?: string }): Promise<string[]> {
  const [organizations, members, linked] = await Promise.all([
    db.organization.count(),
    db.member.count(),
    db.chatIdentity.count(),
  ]);
  const lines = [t("common:setupCounts", { organizations, members, linked })];
  if (organizations === 0) lines.push(t("common:nextStepEmpty"));
  else if (members === 0) lines.push(t("common:nextStepImport"));
  if (channels.webChatUrl) lines.push(t("common:webChatReady", { url: channels.webChatUrl }));
  if (!channels.telegram) lines.push(t("common:nextStepChannels"));
  return lines;
}
