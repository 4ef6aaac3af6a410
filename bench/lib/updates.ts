/** A private text message update as Telegram sends it. */
export function privateTextUpdate(input: { updateId: number; fromId: number; text: string }) {
  return {
    update_id: input.updateId,
    message: {
      message_id: input.updateId,
      date: 1_790_000_000,
      chat: { id: input.fromId, type: "private", first_name: "Đảng viên" },
      from: { id: input.fromId, is_bot: false, first_name: "Đảng viên", language_code: "vi" },
      text: input.text,
    },
  };
}
