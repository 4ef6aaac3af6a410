import type { Button } from "../../channels/types.ts";
import { isDomainError } from "../../domain/errors.ts";
import { digestFileName, XLSX_MIME_TYPE } from "../../services/feedback.ts";
import { textBudget } from "../textBudget.ts";
import { isReviewer } from "../authorization.ts";
import type { Conversation, CoreDeps } from "../context.ts";
import type { Feature } from "../feature.ts";
import { parseId, payloadParts } from "../payload.ts";
import { digestMessage, digestPayload, isPeriodKey, periodOf, type PeriodKey } from "./reviewMessages.ts";

/**
 * /tonghop: the feedback digest of the subtree a committee reviews, for this week by default
 * (buttons for last week and this month), then the same digest as an .xlsx on a second message.
 *
 * Which organization: a reviewer's scopes are reduced to the outermost ones (a province reviewer
 * who also reviews a commune gets the province, whose digest counts the commune's cells anyway).
 * When several unrelated scopes remain (two communes), chibo asks which one with buttons.
 */
export const digestFeature: Feature = {
  name: "digest",
  commands: ["tonghop"],
  buttonPrefix: "th",
  allowed: (roles) => isReviewer(roles),
  async handle(deps, conversation, input) {
    const { t } = conversation;
    if (input.command) {
      const orgs = await deps.services.reviewScopes.digestOrganizations(conversation.roles);
      if (orgs.length === 1) return sendDigest(deps, conversation, orgs[0]!.id, "week");
      const buttons: Button[][] = orgs.map((org) => [{ label: org.name, payload: digestPayload("week", org.id) }]);
      await conversation.reply({ text: t("review:chooseOrganization"), buttons });
      return;
    }
    const [period, id] = payloadParts(input.payload, 2) ?? [];
    const orgId = parseId(id);
    if (!isPeriodKey(period) || orgId === null) {
      await conversation.reply({ text: t("chat:staleButton") });
      return;
    }
    try {
      // Checked on every press: a button is only data, and the person's roles may have changed.
      await deps.services.reviewScopes.reviewed({ orgId, roles: conversation.roles });
    } catch (error) {
      if (!isDomainError(error)) throw error;
      await conversation.reply({ text: t(error.code, error.params) });
      return;
    }
    await sendDigest(deps, conversation, orgId, period);
  },
};

async function sendDigest(deps: CoreDeps, conversation: Conversation, orgId: number, period: PeriodKey): Promise<void> {
  const { t, member } = conversation;
  const now = deps.clock.now();
  const request = { orgId, ...periodOf(period, now), now };
  const digest = await deps.feedback.digest(request, { kind: "member", memberId: member!.id });
  await conversation.reply(digestMessage(t, digest, period, textBudget(conversation.message.channel)));
  if (digest.total === 0 && digest.overdue.length === 0) return;
  // The file lists every item of the period (signed ones with their author, anonymous ones as such).
  const items = await deps.feedback.digestItems({ ...request, actor: { kind: "member", memberId: member!.id } });
  const workbook = await deps.feedback.digestWorkbook(digest, items, t);
  const fileName = digestFileName(digest);
  await conversation.reply({
    text: t("review:digestFile", { fileName }),
    attachment: { fileName, mimeType: XLSX_MIME_TYPE, base64: workbook.toString("base64") },
  });
}
