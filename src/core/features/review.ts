import { isDomainError } from "../../domain/errors.ts";
import { textBudget } from "../textBudget.ts";
import {
  allowedActions, checkAction, FEEDBACK_ACTIONS, MAX_AGENCY_NAME_LENGTH, MAX_FEEDBACK_TEXT_LENGTH, MAX_NOTE_LENGTH, REFERENCE_PREFIX,
  type CheckedAction, type FeedbackAction, type FeedbackActionKind,
} from "../../domain/feedback.ts";
import { toLocal } from "../../domain/localTime.ts";
import type { FeedbackDetail, FeedbackViewer, ReviewableMatch } from "../../services/feedback.ts";
import { isReviewer } from "../authorization.ts";
import type { Conversation, CoreDeps } from "../context.ts";
import type { Feature, FlowInput } from "../feature.ts";
import { parseId } from "../payload.ts";
import { sendItemPhoto } from "./reviewPhoto.ts";
import type { OpenFlow } from "../flowStore.ts";
import { answerPreview, itemView, openPayload, previewButtons } from "./reviewMessages.ts";

const FEATURE = "review";

/** Actions that need words first: the flow step that asks for them. */
const ASKS = { forward: "agency", answer: "answer", reject: "reason" } as const;
type Step = (typeof ASKS)[keyof typeof ASKS];
const STEPS = Object.values(ASKS) as Step[];
const MAX_BY_STEP: Record<Step, number> = { agency: MAX_AGENCY_NAME_LENGTH, answer: MAX_FEEDBACK_TEXT_LENGTH, reason: MAX_NOTE_LENGTH };
/** An answer is shown as its author will get it, and goes only on "Gửi": this step waits for the press. */
const PREVIEW = "preview";

interface FlowData {
  id: number;
  reference: string;
  /** The answer waiting for "Gửi", as it will be stored and sent. */
  answer?: string;
}

/** After these refusals the item is shown again as it is now; after the others it may not be shown. */
const SHOW_AFTER = new Set(["feedback:changedMeanwhile", "feedback:transitionRefused"]);

/**
 * A committee acting on one item: /xem <reference> (or a digest's button) shows it with the
 * actions its status allows; forwarding, answering and rejecting ask for the agency, the answer
 * or the reason in a short flow. Every read and every action goes through the feedback service,
 * which refuses anyone who does not review the item's cell; buttons carry the status they were
 * made for, so a press on a view someone else has since moved on shows the item as it is now.
 */
export const reviewFeature: Feature = {
  name: FEATURE,
  commands: ["xem"],
  buttonPrefix: "rv",
  allowed: (roles) => isReviewer(roles),
  async handle(deps, conversation, input) {
    if (input.command) return openByReference(deps, conversation, input.args);
    const [kind, ...rest] = (input.payload ?? "").split(":");
    const id = parseId(kind === "o" ? rest[0] : rest[1]);
    if (kind === "o" && rest.length === 1 && id !== null) return show(deps, conversation, id, undefined, { photo: true });
    if (kind === "a" && rest.length === 3 && id !== null) return onAction(deps, conversation, rest[0], id, rest[2]);
    if ((kind === "send" || kind === "edit") && rest.length === 0) return onPreviewButton(deps, conversation, kind);
    if (kind === "cancel" && rest.length === 0) {
      if (conversation.flow?.feature === FEATURE) {
        await conversation.endFlow();
        await conversation.reply({ text: conversation.t("chat:flowCancelled", { what: conversation.t("chat:flow_review") }) });
      } else {
        await conversation.reply({ text: conversation.t("chat:staleButton") });
      }
      return;
    }
    await conversation.reply({ text: conversation.t("chat:staleButton") });
  },
  continueFlow: (deps, conversation, flow, input) => onFlowMessage(deps, conversation, flow, input),
  reprompt: (deps, conversation, flow) => {
    const data = flow.data as unknown as FlowData;
    return flow.step === PREVIEW ? showPreview(deps, conversation, data) : ask(conversation, flow.step as Step, data);
  },
};

const viewerOf = (conversation: Conversation): FeedbackViewer => ({ memberId: conversation.member!.id, roles: conversation.roles });

/**
 * "GY-2026-000001", any case, with or without "GY-"; a bare number means this year's item
 * ("/xem 12" is GY-<this year>-000012).
 */
export function parseReference(text: string, now: Date): string | null {
  const value = text.trim().toUpperCase().replace(/\s+/g, "");
  const full = new RegExp(`^(?:${REFERENCE_PREFIX}-?)?(\\d{4})-(\\d{1,6})$`).exec(value);
  if (full) return `${REFERENCE_PREFIX}-${full[1]}-${full[2]!.padStart(6, "0")}`;
  const bare = new RegExp(`^(?:${REFERENCE_PREFIX}-?)?(\\d{1,6})$`).exec(value);
  if (bare) return `${REFERENCE_PREFIX}-${toLocal(now).year}-${bare[1]!.padStart(6, "0")}`;
  return null;
}

async function openByReference(deps: CoreDeps, conversation: Conversation, args: string | undefined): Promise<void> {
  const { t } = conversation;
  if (!args?.trim()) {
    await conversation.reply({ text: t("review:xemUsage") });
    return;
  }
  const reference = parseReference(args, deps.clock.now());
  if (!reference) {
    await conversation.reply({ text: t("review:badReference", { value: args.trim().slice(0, 40) }) });
    return;
  }
  let matches: ReviewableMatch[];
  try {
    // Each top organization numbers its own items: only those the reviewer reviews are searched.
    matches = await deps.feedback.findByReference(reference, viewerOf(conversation));
  } catch (error) {
    if (!isDomainError(error)) throw error;
    await conversation.reply({ text: t(error.code, error.params) });
    return;
  }
  if (matches.length === 1) return show(deps, conversation, matches[0]!.id, reference, { photo: true });
  // Someone reviewing in two provinces may have the same number in each: they pick one.
  await conversation.reply({
    text: t("review:chooseReference", { reference, count: matches.length }),
    buttons: matches.map((match) => [{
      label: t("review:referenceIn", { reference, organization: match.topOrganizationName }),
      payload: openPayload(match.id),
    }]),
  });
}

/** Reads the item for this reviewer, or says why not (and returns null). */
async function load(deps: CoreDeps, conversation: Conversation, id: number, shownAs?: string): Promise<FeedbackDetail | null> {
  try {
    return await deps.feedback.view(id, viewerOf(conversation), deps.clock.now());
  } catch (error) {
    if (!isDomainError(error)) throw error;
    // Asked by its reference: "not found" names what was asked, whether it is missing or out of reach.
    const params = error.code === "feedback:notFound" && shownAs ? { value: shownAs } : error.params;
    await conversation.reply({ text: conversation.t(error.code, params) });
    return null;
  }
}

/** Shows the item; opened by a reviewer (not shown again after an action), its photo follows. */
async function show(deps: CoreDeps, conversation: Conversation, id: number, shownAs?: string, options: { photo?: boolean } = {}): Promise<void> {
  const item = await load(deps, conversation, id, shownAs);
  if (!item) return;
  await conversation.reply(itemView(conversation.t, item, deps.clock.now(), textBudget(conversation.message.channel)));
  if (options.photo && item.photoRef) await sendItemPhoto(deps, conversation, item);
}

const isAction = (value: unknown): value is FeedbackActionKind => FEEDBACK_ACTIONS.includes(value as FeedbackActionKind);

async function onAction(deps: CoreDeps, conversation: Conversation, action: string | undefined, id: number, seenStatus: string | undefined): Promise<void> {
  const { t } = conversation;
  if (!isAction(action)) {
    await conversation.reply({ text: t("chat:staleButton") });
    return;
  }
  const item = await load(deps, conversation, id);
  if (!item) return;
  if (item.status !== seenStatus) {
    // The view this button came from is out of date: say so and show the item as it is now.
    await conversation.reply({ text: t("feedback:changedMeanwhile", { status: item.status }) });
    await conversation.reply(itemView(t, item, deps.clock.now(), textBudget(conversation.message.channel)));
    return;
  }
  if (action === "review" || action === "close") return act(deps, conversation, id, { kind: action });
  const flow = conversation.flow;
  if (flow && flow.feature !== FEATURE) {
    // Never overwrite another half-done task (a /gopy draft, say): it is finished or cancelled first.
    await conversation.reply({ text: t("chat:flowStillOpen", { what: t(`chat:flow_${flow.feature}`) }) });
    return;
  }
  const step = ASKS[action];
  const data: FlowData = { id, reference: item.reference };
  await conversation.setFlow(FEATURE, step, data as unknown as Record<string, unknown>);
  await ask(conversation, step, data);
}

async function ask(conversation: Conversation, step: Step, data: FlowData): Promise<void> {
  const { t } = conversation;
  await conversation.reply({
    text: t(`review:ask_${step}`, { reference: data.reference, max: MAX_BY_STEP[step] }),
    buttons: [[{ label: t("review:button_cancel"), payload: "rv:cancel" }]],
  });
}

async function onFlowMessage(deps: CoreDeps, conversation: Conversation, flow: OpenFlow, input: FlowInput): Promise<void> {
  const { t } = conversation;
  const step = flow.step as Step;
  const data = flow.data as unknown as FlowData;
  if (flow.step === PREVIEW) {
    // Words here are not sent: the answer shown goes only with "Gửi"; "Sửa" takes new words.
    await conversation.reply({ text: t("review:previewChoose"), buttons: previewButtons(t) });
    return;
  }
  if (!STEPS.includes(step)) {
    await conversation.endFlow();
    return;
  }
  if (input.contentKind !== "text" || !input.text?.trim()) {
    await conversation.reply({ text: t("review:needText") });
    return ask(conversation, step, data);
  }
  const action: FeedbackAction = step === "agency" ? { kind: "forward", agencyName: input.text }
    : step === "answer" ? { kind: "answer", text: input.text }
    : { kind: "reject", reason: input.text };
  let checked: CheckedAction;
  try {
    // The words are checked first (length, emptiness): a wrong one is asked again, the flow stays.
    checked = checkAction(action);
  } catch (error) {
    if (!isDomainError(error)) throw error;
    await conversation.reply({ text: t(error.code, error.params) });
    return ask(conversation, step, data);
  }
  if (checked.answer !== undefined) {
    return showPreview(deps, conversation, { id: data.id, reference: data.reference, answer: checked.answer });
  }
  await conversation.endFlow();
  await act(deps, conversation, data.id, action);
}

/**
 * The answer as the author will read it, with Gửi / Sửa / Hủy; nothing is stored or sent yet. An
 * item someone else has answered or settled meanwhile is shown as it is now instead.
 */
async function showPreview(deps: CoreDeps, conversation: Conversation, data: FlowData): Promise<void> {
  const { t } = conversation;
  const item = await load(deps, conversation, data.id);
  if (!item) return conversation.endFlow();
  if (!allowedActions(item.status).includes("answer")) {
    await conversation.endFlow();
    await conversation.reply({ text: t("feedback:transitionRefused", { status: item.status, action: "answer" }) });
    return show(deps, conversation, data.id);
  }
  await conversation.setFlow(FEATURE, PREVIEW, data as unknown as Record<string, unknown>);
  await conversation.reply(answerPreview(t, item, data.answer ?? "", textBudget(conversation.message.channel)));
}

/** "Gửi" sends the answer shown (the service stores it and queues it in one transaction); "Sửa" asks again. */
async function onPreviewButton(deps: CoreDeps, conversation: Conversation, kind: "send" | "edit"): Promise<void> {
  const { t } = conversation;
  const flow = conversation.flow?.feature === FEATURE ? conversation.flow : null;
  const data = flow?.data as unknown as FlowData | undefined;
  if (!flow || !data) {
    await conversation.reply({ text: t("chat:staleButton") });
    return;
  }
  if (flow.step !== PREVIEW || data.answer === undefined) {
    // A preview from before "Sửa": the question open now is asked again.
    await conversation.reply({ text: t("feedbackChat:oldButton") });
    return STEPS.includes(flow.step as Step) ? ask(conversation, flow.step as Step, data) : undefined;
  }
  const { answer, ...asked } = data;
  if (kind === "edit") {
    await conversation.setFlow(FEATURE, ASKS.answer, asked as unknown as Record<string, unknown>);
    return ask(conversation, ASKS.answer, asked);
  }
  await conversation.endFlow();
  await act(deps, conversation, data.id, { kind: "answer", text: answer });
}

/** Does it, then confirms and shows the item again; a refusal is said in words, never as an error. */
async function act(deps: CoreDeps, conversation: Conversation, id: number, action: FeedbackAction): Promise<void> {
  const { t } = conversation;
  try {
    const result = await deps.feedback.act(id, action, viewerOf(conversation), deps.clock.now());
    const lines = [t("review:done", { reference: result.reference, from: t(`feedback:status_${result.fromStatus}`), to: t(`feedback:status_${result.status}`) })];
    if (action.kind === "answer") lines.push(t(result.answersQueued > 0 ? "review:answerQueued" : "review:answerNotQueued"));
    await conversation.reply({ text: lines.join(" ") });
  } catch (error) {
    if (!isDomainError(error)) throw error;
    await conversation.reply({ text: t(error.code, error.params) });
    if (!SHOW_AFTER.has(error.code)) return;
  }
  await show(deps, conversation, id);
}
