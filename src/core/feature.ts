import type { Role } from "../generated/prisma/client.ts";
import type { Conversation, CoreDeps } from "./context.ts";

/** What a person typed or pressed, already split for the feature. */
export interface FeatureInput {
  /** The command without "/" and bot name, lower case ("lich"). */
  command?: string;
  args?: string;
  /** A pressed button's payload, without the feature's prefix. */
  payload?: string;
}

/** The roles a linked member holds, each scoped to an organization. */
export type MemberRoles = Pick<Role, "role" | "organizationId">[];

/** One chat feature in one file: the commands and buttons it answers, and who may use them. */
export interface Feature {
  name: string;
  commands?: string[];
  /** Buttons whose payload starts with `${buttonPrefix}:` come to this feature. */
  buttonPrefix?: string;
  /** Who sees and may use the commands; a linked member by default. */
  allowed?(roles: MemberRoles, linked: boolean): boolean;
  handle(deps: CoreDeps, conversation: Conversation, input: FeatureInput): Promise<void>;
}

export const linkedOnly = (_roles: MemberRoles, linked: boolean) => linked;
