import type { FeedbackDetail } from "../../services/feedback.ts";
import type { Conversation, CoreDeps } from "../context.ts";

/**
 * The photo sent with an item, as a message of its own after the item's view: each channel shows
 * it its own way (Telegram uploads it, Zalo shows it by a signed link or says where to see it, the
 * web chat shows it in the page). A photo the platform could not give at first is fetched now; one
 * still out of reach is said so.
 */
export async function sendItemPhoto(deps: CoreDeps, conversation: Conversation, item: FeedbackDetail): Promise<void> {
  const { t } = conversation;
  const photos = deps.feedback.photos;
  const ref = photos ? await photos.settleItem(item, deps.clock.now()) : null;
  const kept = ref === null ? null : (await photos?.describe(ref)) ?? null;
  if (ref === null || kept === null) {
    await conversation.reply({ text: t("review:photoNotKept", { reference: item.reference }) });
    return;
  }
  const extension = kept.fileName.slice(kept.fileName.lastIndexOf("."));
  await conversation.reply({
    text: t("review:photoCaption", { reference: item.reference }),
    attachment: { fileName: `${item.reference}${extension}`, mimeType: kept.mimeType, base64: "", photoRef: ref },
  });
}
