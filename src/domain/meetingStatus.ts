/**
 * Where a cell's meeting stands, as the committee's calendar shows it. The stored status says
 * held or not held; a meeting nobody has answered for yet is planned, postponed (moved with a
 * reason) or, once its start has passed, not reported: the committee above wants to see those.
 */
export const MEETING_STATUSES = ["planned", "postponed", "unreported", "held", "not_held"] as const;
export type MeetingStatus = (typeof MEETING_STATUSES)[number];

export const isMeetingStatus = (value: unknown): value is MeetingStatus => MEETING_STATUSES.includes(value as MeetingStatus);

/** `row` is the stored meeting, when there is one yet; `startsAt` the start it really has. */
export function meetingStatus(row: { status: string; postponedTo: Date | null } | null | undefined, startsAt: Date, now: Date): MeetingStatus {
  if (row?.status === "held") return "held";
  if (row?.status === "not_held") return "not_held";
  if (startsAt.getTime() <= now.getTime()) return "unreported";
  return row?.postponedTo ? "postponed" : "planned";
}
