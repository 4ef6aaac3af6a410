import { ownScheduleFrom } from "../domain/orgSettings.ts";
import { quietUntil } from "../domain/quietHours.ts";
import { DEFAULT_SCHEDULE_SETTINGS } from "../domain/scheduleSettings.ts";
import { loadOrgIndex } from "../services/orgIndex.ts";
import { inChunks } from "../storage/chunks.ts";
import type { DbClient } from "../storage/database.ts";
import type { QueuedMessage } from "./outbox.ts";

/** The web chat's members are fictional (see services/webChat.ts): nobody sleeps there, and a trial at night sees everything. */
const WEB_CHANNEL = "web";

/** A message that goes at once whatever the hour: an answer to someone writing now, one marked urgent, one in the web chat. */
const goesAtNight = (m: QueuedMessage) => m.message.urgent === true || m.channel === WEB_CHANNEL;

interface Cell {
  id: number;
  path: string;
}

/**
 * When each message may first go: null for at once, or the end of the quiet hours `now` falls in
 * at the cell it is for (a member's cell, a linked group's cell; the setting nearest-wins from the
 * cell up). A chat of no cell (a person not linked yet, a group not linked) only ever hears
 * answers to what was just done there, so it is not held. Reads nothing when every message goes
 * at once.
 */
export async function quietHoldOf(client: DbClient, messages: readonly QueuedMessage[], now: Date): Promise<(Date | null)[]> {
  const held = messages.filter((m) => !goesAtNight(m));
  if (held.length === 0 || !(await quietSomewhere(client, now))) return messages.map(() => null);
  const memberIds = [...new Set(held.flatMap((m) => (!m.isGroup && m.memberId !== undefined ? [m.memberId] : [])))];
  const groupChatIds = [...new Set(held.flatMap((m) => (m.isGroup ? [m.chatId] : [])))];
  const cell = { select: { id: true, path: true } } as const;
  const members = await inChunks(memberIds, (chunk) => client.member.findMany({ where: { id: { in: chunk } }, select: { id: true, cell } }));
  const groups = await inChunks(groupChatIds, (chunk) => client.groupChat.findMany({ where: { externalChatId: { in: chunk } }, select: { channel: true, externalChatId: true, cell } }));
  const cellOfMember = new Map<number, Cell>(members.map((m) => [m.id, m.cell]));
  const cellOfGroup = new Map<string, Cell>(groups.map((g) => [`${g.channel}\u0000${g.externalChatId}`, g.cell]));
  const cells = [...new Map([...cellOfMember.values(), ...cellOfGroup.values()].map((c) => [c.id, c])).values()];
  if (cells.length === 0) return messages.map(() => null);
  const index = await loadOrgIndex(client, cells);
  const untilAt = new Map(cells.map((c) => [c.id, quietUntil(now, index.settings(c.id).schedule.quietHours)]));
  return messages.map((m) => {
    if (goesAtNight(m)) return null;
    const at = m.isGroup ? cellOfGroup.get(`${m.channel}\u0000${m.chatId}`) : m.memberId !== undefined ? cellOfMember.get(m.memberId) : undefined;
    return at ? (untilAt.get(at.id) ?? null) : null;
  });
}

/**
 * Whether `now` falls in the default quiet hours or in hours some organization sets: most of the
 * day it does not, and then nothing is held and one small read of the organizations decides it.
 */
async function quietSomewhere(client: DbClient, now: Date): Promise<boolean> {
  if (quietUntil(now, DEFAULT_SCHEDULE_SETTINGS.quietHours)) return true;
  const setting = await client.organization.findMany({ where: { scheduleSettings: { contains: '"quietHours"' } }, select: { scheduleSettings: true } });
  return setting.some((org) => quietUntil(now, ownScheduleFrom(org.scheduleSettings).quietHours ?? null) !== null);
}
