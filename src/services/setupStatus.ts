import type { TFunction } from "i18next";
import type { Db } from "../storage/database.ts";

/** The chat channels this start connects: each named in the start log. */
export interface StartedChannels {
  /** The bot's username once Telegram answered; undefined while it is still being tried. */
  telegram?: { username?: string };
  zaloBot?: { username?: string };
  zaloOa?: boolean;
  /** Where the web chat answers, when it is on. */
  webChatUrl?: string;
}

/** What the operator should do next, said in the start log: what is there, every channel, the next step. */
export async function describeSetup(db: Db, t: TFunction, channels: StartedChannels): Promise<string[]> {
  const [organizations, members, linked] = await Promise.all([
    db.organization.count(),
    db.member.count(),
    db.chatIdentity.count(),
  ]);
  const lines = [t("common:setupCounts", { organizations, members, linked })];
  const { telegram, zaloBot, zaloOa, webChatUrl } = channels;
  const named = [
    telegram && (telegram.username ? t("common:channelTelegram", { username: telegram.username }) : t("common:channelTelegramPending")),
    zaloBot && (zaloBot.username ? t("common:channelZaloBot", { username: zaloBot.username }) : t("common:channelZaloBotPending")),
    zaloOa && t("common:channelZaloOa"),
    webChatUrl && t("common:channelWeb"),
  ].filter((name): name is string => Boolean(name));
  lines.push(named.length > 0 ? t("common:channels", { channels: named.join(", ") }) : t("common:channelsNone"));
  if (!telegram && !zaloBot && !zaloOa) lines.push(t("common:nextStepChannels"));
  // The demo is suggested only to an empty database: never mixed into an organization's real data.
  if (organizations === 0) lines.push(t("common:nextStepEmpty"));
  else if (members === 0) lines.push(t("common:nextStepImport"));
  if (webChatUrl) lines.push(t("common:webChatReady", { url: webChatUrl }));
  return lines;
}
