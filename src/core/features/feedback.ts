import type { TFunction } from "i18next";
import type { Button, OutboundMessage } from "../../channels/types.ts";
import { isDomainError } from "../../domain/errors.ts";
import { AGENCY, findAddressee, type AddresseeEntry } from "../../domain/addressees.ts";
import { CATEGORIES, checkAgencyName, cleanFeedbackText, isCategory, MAX_FEEDBACK_TEXT_LENGTH } from "../../domain/feedback.ts";
import { addresseeLabel } from "../../services/addresseeLabel.ts";
import type { TakenPhoto } from "../../services/feedbackPhotos.ts";
import type { Conversation, CoreDeps } from "../context.ts";
import type { Feature, FlowInput } from "../feature.ts";
import type { OpenFlow } from "../flowStore.ts";

const FEATURE = "feedback";

/** What the flow has gathered; kept in the flow row, written to Feedback only on "Gửi". */
interface Draft {
  /** The addressees offered, as they stood when the flow began, and the unit that names them. */
  choices?: AddresseeEntry[];
  unitKind?: string | null;
  addressee?: string;
  agencyName?: string;
  category?: string;
  text?: string;
  photoRef?: string;
  anonymous?: boolean;
}

type Step = "addressee" | "agency" | "category" | "text" | "anonymous" | "confirm";

/**
 * /gopy: "phản ánh, góp ý" in a guided flow — addressee, category, the text (a photo may come
 * with it), anonymous or named, confirm — ending with a reference number. Only in a private
 * chat: in a group the member is pointed to the private chat, so nobody else sees it.
 */
export const feedbackFeature: Feature = {
  name: FEATURE,
  commands: ["gopy"],
  buttonPrefix: "gy",
  inGroups: true,
  opensFlow: true,
  async handle(deps, conversation, input) {
    if (conversation.message.chat.kind === "group") return pointToPrivateChat(deps, conversation);
    if (input.command) return begin(deps, conversation);
    const flow = conversation.flow?.feature === FEATURE ? conversation.flow : null;
    const [kind, value] = (input.payload ?? "").split(":");
    if (!flow) {
      await conversation.reply({ text: conversation.t("chat:staleButton") });
      return;
    }
    const draft = flow.data as Draft;
    const step = flow.step as Step;
    if (kind === "cancel") {
      await conversation.endFlow();
      await conversation.reply({ text: conversation.t("chat:flowCancelled", { what: conversation.t("chat:flow_feedback") }) });
      return;
    }
    const entry = kind === "to" && step === "addressee" && value ? findAddressee(draft.choices ?? [], value) : null;
    if (entry) {
      return entry.key === AGENCY
        ? move(conversation, "agency", { ...draft, addressee: entry.key })
        : move(conversation, "category", { ...draft, addressee: entry.key, agencyName: entry.name });
    }
    if (kind === "cat" && step === "category" && isCategory(value)) return move(conversation, "text", { ...draft, category: value });
    // After a refused photo, the words already given go on without one.
    if (kind === "nophoto" && step === "text" && draft.text) return move(conversation, "anonymous", draft);
    if (kind === "anon" && step === "anonymous" && (value === "1" || value === "0")) return move(conversation, "confirm", { ...draft, anonymous: value === "1" });
    if (kind === "send" && step === "confirm") return submit(deps, conversation, draft);
    // A button from an earlier question: say so and ask the current one again.
    await conversation.reply({ text: conversation.t("feedbackChat:oldButton") });
    await ask(conversation, step, draft);
  },
  continueFlow: (deps, conversation, flow, input) => onMessage(deps, conversation, flow, input),
  reprompt: (_deps, conversation, flow) => ask(conversation, flow.step as Step, flow.data as Draft),
};

async function pointToPrivateChat(deps: CoreDeps, conversation: Conversation): Promise<void> {
  const link = deps.links?.privateChat(conversation.message.channel, "gopy");
  await conversation.reply({ text: conversation.t(link ? "feedbackChat:privateOnlyLink" : "feedbackChat:privateOnly", { link }), replyToMessageId: conversation.message.messageId });
}

/** Starts the flow (also from `/start gopy`, the link given in groups). */
export async function begin(deps: CoreDeps, conversation: Conversation): Promise<void> {
  const { entries, unitKind } = await deps.feedback.addresseesFor(conversation.member!.id);
  await conversation.reply({ text: conversation.t("feedbackChat:intro") });
  await move(conversation, "addressee", { choices: entries, unitKind });
}

async function move(conversation: Conversation, step: Step, draft: Draft): Promise<void> {
  await conversation.setFlow(FEATURE, step, draft as Record<string, unknown>);
  await ask(conversation, step, draft);
}

const cancelRow = (t: TFunction): Button[] => [{ label: t("feedbackChat:buttonCancel"), payload: "gy:cancel" }];

function question(t: TFunction, step: Step, draft: Draft): OutboundMessage {
  switch (step) {
    case "addressee":
      return {
        text: t("feedbackChat:askAddressee"),
        buttons: [
          ...[...(draft.choices ?? []), { key: AGENCY }].map((a) => [{ label: addresseeLabel(t, { addressee: a.key, agencyName: a.name }, draft.unitKind ?? null), payload: `gy:to:${a.key}` }]),
          cancelRow(t),
        ],
      };
    case "agency":
      return { text: t("feedbackChat:askAgency"), buttons: [cancelRow(t)] };
    case "category": {
      const rows: Button[][] = [];
      CATEGORIES.forEach((c, i) => {
        if (i % 2 === 0) rows.push([]);
        rows.at(-1)!.push({ label: t(`feedback:category_${c}`), payload: `gy:cat:${c}` });
      });
      return { text: t("feedbackChat:askCategory"), buttons: [...rows, cancelRow(t)] };
    }
    case "text":
      if (draft.photoRef) return { text: t("feedbackChat:askTextAfterPhoto"), buttons: [cancelRow(t)] };
      // Words but no photo yet at this step: a photo was refused, the words wait for another one.
      if (draft.text) {
        return { text: t("feedbackChat:askPhotoAgain"), buttons: [[{ label: t("feedbackChat:buttonNoPhoto"), payload: "gy:nophoto" }], cancelRow(t)] };
      }
      return { text: t("feedbackChat:askText", { max: MAX_FEEDBACK_TEXT_LENGTH }), buttons: [cancelRow(t)] };
    case "anonymous":
      return {
        text: t("feedbackChat:askAnonymous"),
        buttons: [[{ label: t("feedbackChat:buttonNamed"), payload: "gy:anon:0" }, { label: t("feedbackChat:buttonAnonymous"), payload: "gy:anon:1" }], cancelRow(t)],
      };
    case "confirm":
      // The member's own words shown back: the stored copy goes once sent (Feedback keeps the text).
      return {
        text: [t("feedbackChat:confirmIntro"), summary(t, draft)].join("\n\n"),
        buttons: [[{ label: t("feedbackChat:buttonSend"), payload: "gy:send" }, ...cancelRow(t)]],
        forgetText: true,
      };
  }
}

const ask = (conversation: Conversation, step: Step, draft: Draft) => conversation.reply(question(conversation.t, step, draft));

function summary(t: TFunction, draft: Draft): string {
  const to = draft.addressee === AGENCY ? draft.agencyName ?? "" : addresseeLabel(t, { addressee: draft.addressee ?? "", agencyName: draft.agencyName }, draft.unitKind ?? null);
  return [
    t("feedbackChat:summaryTo", { to }),
    t("feedbackChat:summaryCategory", { category: t(`feedback:category_${draft.category}`) }),
    t(draft.anonymous ? "feedbackChat:summaryAnonymous" : "feedbackChat:summaryNamed"),
    ...(draft.photoRef ? [t("feedbackChat:summaryPhoto")] : []),
    t("feedbackChat:summaryText", { text: draft.text }),
  ].join("\n");
}

async function onMessage(deps: CoreDeps, conversation: Conversation, flow: OpenFlow, input: FlowInput): Promise<void> {
  const { t } = conversation;
  const draft = flow.data as Draft;
  const step = flow.step as Step;
  if (step === "agency") {
    if (input.contentKind !== "text") return retry(conversation, t("feedbackChat:needText"), step, draft);
    try {
      return await move(conversation, "category", { ...draft, agencyName: checkAgencyName(input.text) });
    } catch (error) {
      if (!isDomainError(error)) throw error;
      return retry(conversation, t(error.code, error.params), step, draft);
    }
  }
  if (step === "text") {
    const photoRef = input.contentKind === "photo" ? conversation.message.photoRef : undefined;
    if (input.contentKind !== "text" && !photoRef) return retry(conversation, t("feedbackChat:needText"), step, draft);
    const text = cleanFeedbackText(input.text ?? "");
    const length = [...text].length;
    if (length > MAX_FEEDBACK_TEXT_LENGTH) {
      // Nothing is cut silently: the member shortens it (or splits it into two items).
      return retry(conversation, t("feedback:textTooLong", { length, max: MAX_FEEDBACK_TEXT_LENGTH }), step, draft);
    }
    const photo = photoRef ? await takePhoto(deps, conversation, photoRef) : undefined;
    if (photo?.kind === "refused") {
      // The photo is not taken, the words that came with it are: the member sends another photo or goes on without.
      const kept = { ...draft, ...(text ? { text } : {}) };
      await conversation.setFlow(FEATURE, "text", kept as Record<string, unknown>);
      return retry(conversation, t(photo.code, photo.params), "text", kept);
    }
    const next = { ...draft, ...(photo ? { photoRef: photo.ref } : {}), ...(text ? { text } : {}) };
    if (!next.text) {
      await conversation.setFlow(FEATURE, "text", next as Record<string, unknown>);
      return ask(conversation, "text", next);
    }
    return move(conversation, "anonymous", next);
  }
  // Steps answered with buttons: words there are most likely the content typed too early.
  return retry(conversation, t("feedbackChat:useButtons"), step, draft);
}

/**
 * Keeps the photo at once, while the platform's reference still works (a Telegram file id only for
 * this bot, a Zalo link for a while). A platform that does not answer leaves its reference in the
 * draft, fetched again when the item is sent or read; a file that is no photo is refused.
 */
async function takePhoto(deps: CoreDeps, conversation: Conversation, platformRef: string): Promise<TakenPhoto> {
  const { photos } = deps.feedback;
  if (!photos) return { kind: "pending", ref: platformRef };
  return photos.take(conversation.message.channel, platformRef, deps.clock.now());
}

async function retry(conversation: Conversation, why: string, step: Step, draft: Draft): Promise<void> {
  await conversation.reply({ text: why });
  await ask(conversation, step, draft);
}

async function submit(deps: CoreDeps, conversation: Conversation, draft: Draft): Promise<void> {
  const { t, member } = conversation;
  try {
    const { reference } = await deps.feedback.submit({
      authorId: member!.id,
      anonymous: draft.anonymous === true,
      addressee: draft.addressee ?? "",
      agencyName: draft.agencyName ?? null,
      category: draft.category ?? "",
      text: draft.text ?? "",
      photoRef: draft.photoRef ?? null,
      now: deps.clock.now(),
    });
    await conversation.endFlow();
    await conversation.reply({ text: t(draft.anonymous ? "feedbackChat:sentAnonymous" : "feedbackChat:sent", { reference }) });
  } catch (error) {
    if (!isDomainError(error)) throw error;
    // The draft stays open: the member can fix it or cancel, nothing was stored.
    await conversation.reply({ text: t(error.code, error.params) });
  }
}
