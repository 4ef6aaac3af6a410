import type { ChannelName } from "../channels/types.ts";
import type { MemberRoles } from "./authorization.ts";
import type { Conversation, CoreDeps } from "./context.ts";
import type { OpenFlow } from "./flowStore.ts";

export type { MemberRoles } from "./authorization.ts";

/** What a person typed or pressed, already split for the feature. */
export interface FeatureInput {
  /** The command as the feature declared it ("lich"), however it was typed ("/Lịch", "lịch họp"). */
  command?: string;
  args?: string;
  /** A pressed button's payload, without the feature's prefix. */
  payload?: string;
}

/** A message that came while the person's flow was open: text, or something else (a sticker…). */
export interface FlowInput {
  contentKind: "text" | "photo" | "sticker" | "other";
  text?: string;
}

/** One chat feature in one file: the commands and buttons it answers, and who may use them. */
export interface Feature {
  name: string;
  /** Its commands, each listed by /huongdan with the line `chat:command_<name>`. */
  commands?: string[];
  /** Other names of its commands, understood but not listed (English ones: "help"). */
  aliases?: string[];
  /** Whether /huongdan offers its commands on this channel; every channel by default. */
  offeredOn?(channel: ChannelName): boolean;
  /** Buttons whose payload starts with `${buttonPrefix}:` come to this feature. */
  buttonPrefix?: string;
  /** Who sees and may use the commands; a linked member by default. */
  allowed?(roles: MemberRoles, linked: boolean): boolean;
  /** Answers in group chats too (only what is fit for a group: never personal data). */
  inGroups?: boolean;
  /** Its commands open a guided flow, so they wait while another flow is open. */
  opensFlow?: boolean;
  handle(deps: CoreDeps, conversation: Conversation, input: FeatureInput): Promise<void>;
  /** The next message of a flow this feature opened. */
  continueFlow?(deps: CoreDeps, conversation: Conversation, flow: OpenFlow, input: FlowInput): Promise<void>;
  /** Asks the open flow's current question again (after a second /gopy, say). */
  reprompt?(deps: CoreDeps, conversation: Conversation, flow: OpenFlow): Promise<void>;
  /** Free text no flow or command took; true when this feature answered it. */
  readFreeText?(deps: CoreDeps, conversation: Conversation, text: string): Promise<boolean>;
}

export const linkedOnly = (_roles: MemberRoles, linked: boolean) => linked;

/** The channels with group chats a cell can link (the Zalo OA and the web chat have none). */
export const withGroupChats = (channel: ChannelName) => channel === "telegram" || channel === "zalo_bot";
