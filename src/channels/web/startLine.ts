import type { TFunction } from "i18next";
import type { WebChatSetting } from "../../config.ts";
import { localBaseUrl } from "../../http/baseUrl.ts";
import { WEB_CHAT_PATH } from "./index.ts";

/** The web chat's address on this machine, for a server listening on `host` (an address, or every one). */
export function webChatUrl(host: string, port: number): string {
  return `${localBaseUrl(host, port)}${WEB_CHAT_PATH}`;
}

/** The start log's line about the web chat: where it answers, or why it is off. */
export function webChatStartLine(t: TFunction, setting: WebChatSetting, url: string, allowedHosts: readonly string[]): string {
  if (!setting.enabled) return t(setting.reason === "set" ? "web:offBySetting" : "web:offChannelConnected");
  return allowedHosts.length > 0 ? t("web:readyAlsoHosts", { url, hosts: allowedHosts.join(", ") }) : t("web:ready", { url });
}
