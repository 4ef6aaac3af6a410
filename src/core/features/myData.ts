import type { TFunction } from "i18next";
import type { OutboundMessage } from "../../channels/types.ts";
import { formatDisplayDateTime } from "../../domain/localTime.ts";
import { tellLeadersOfErasure } from "../../services/erasureNotice.ts";
import type { Conversation, CoreDeps } from "../context.ts";
import type { Feature } from "../feature.ts";
import { textBudget } from "../textBudget.ts";
import { exportFileName, exportLines, exportSummary, packLines } from "./myDataText.ts";

const PREFIX = "md";
/** The channels that deliver a file (Telegram as a document, the web chat as a download); the Zalo platforms do not. */
const TAKES_FILES = new Set(["telegram", "web"]);
const TEXT_MIME_TYPE = "text/plain;charset=utf-8";
/** Past this many messages a copy in parts stops being readable; the rest is one line away on Telegram. */
const MAX_TEXT_PARTS = 20;

type Press = "erase" | "confirm" | "keep";
const PRESSES: Record<string, Press> = { erase: "erase", "erase:yes": "confirm", "erase:no": "keep" };

/** A pressed button of this feature, or null for anything else (a button is only data and can be forged). */
export function decodeMyDataPress(payload: string | undefined): Press | null {
  return payload !== undefined && Object.hasOwn(PRESSES, payload) ? PRESSES[payload]! : null;
}

/**
 * /dulieu (/mydata): what chibo holds about the member, as a short summary and the full copy (a
 * .txt file where the channel takes files, else the same lines in messages), with a way to ask
 * for it to be erased: a confirmation, then the request is recorded and the cell's leaders told.
 * Every message carries personal data, so each asks the outbox to forget its text once sent.
 */
export const myDataFeature: Feature = {
  name: "myData",
  commands: ["dulieu"],
  aliases: ["mydata"],
  buttonPrefix: PREFIX,
  async handle(deps, conversation, input) {
    const { t } = conversation;
    if (input.command) return sendCopy(deps, conversation);
    const press = decodeMyDataPress(input.payload);
    if (press === null) return conversation.reply({ text: t("chat:staleButton") });
    if (press === "keep") return conversation.reply({ text: t("myData:eraseKept") });
    if (press === "erase") {
      return conversation.reply({
        text: t("myData:eraseAsk"),
        buttons: [[{ label: t("myData:buttonConfirm"), payload: `${PREFIX}:erase:yes` }, { label: t("myData:buttonKeep"), payload: `${PREFIX}:erase:no` }]],
      });
    }
    const notify = tellLeadersOfErasure({ outbox: deps.outbox, translator: deps.translator, defaultLanguage: deps.defaultLanguage });
    const result = await deps.services.memberData.requestErasure(conversation.member!.id, deps.clock.now(), notify);
    const at = formatDisplayDateTime(result.requestedAt);
    if (result.already) return conversation.reply({ text: t("myData:eraseAlreadyRequested", { at }) });
    await conversation.reply({ text: t(result.told > 0 ? "myData:eraseRequested" : "myData:eraseRequestedNobodyTold", { at, told: result.told }) });
  },
};

async function sendCopy(deps: CoreDeps, conversation: Conversation): Promise<void> {
  const { t, message } = conversation;
  const data = await deps.services.memberData.exportFor(conversation.member!.id, deps.clock.now());
  const takesFiles = TAKES_FILES.has(message.channel);
  const lines = exportLines(t, data, takesFiles);
  const summary = exportSummary(t, data);
  const offer: Pick<OutboundMessage, "text" | "buttons"> = data.member.eraseRequestedAt
    ? { text: t("myData:eraseAlreadyRequested", { at: formatDisplayDateTime(data.member.eraseRequestedAt) }) }
    : { text: t("myData:eraseOffer"), buttons: [[{ label: t("myData:buttonErase"), payload: `${PREFIX}:erase` }]] };
  if (takesFiles) {
    const fileName = exportFileName(data);
    await conversation.reply({ text: `${summary}\n${t("myData:summaryFile")}`, forgetText: true });
    await conversation.reply({
      ...offer,
      text: `${t("myData:fileCaption", { fileName })}\n\n${offer.text}`,
      attachment: { fileName, mimeType: TEXT_MIME_TYPE, base64: Buffer.from(`${lines.join("\n")}\n`, "utf8").toString("base64") },
      forgetText: true,
    });
    return;
  }
  const parts = inParts(t, lines, textBudget(message.channel));
  await conversation.reply({ text: `${summary}\n${t("myData:summaryParts", { count: parts.length })}`, forgetText: true });
  for (const part of parts) await conversation.reply({ text: part, forgetText: true });
  // The choice goes last: on the Zalo bot only the latest message's choices can be answered.
  await conversation.reply(offer);
}

/** The lines as numbered messages within the channel's budget; past the limit, the last one says what is left. */
function inParts(t: TFunction, lines: string[], budget: number): string[] {
  const marker = (part: number, parts: number) => t("myData:part", { part, parts });
  let parts = packLines(lines, budget - marker(MAX_TEXT_PARTS, MAX_TEXT_PARTS).length - 1);
  if (parts.length > MAX_TEXT_PARTS) {
    const left = parts.slice(MAX_TEXT_PARTS - 1).reduce((sum, part) => sum + part.split("\n").length, 0);
    parts = [...parts.slice(0, MAX_TEXT_PARTS - 1), t("myData:partsCut", { count: left })];
  }
  return parts.map((part, i) => `${marker(i + 1, parts.length)}\n${part}`);
}
