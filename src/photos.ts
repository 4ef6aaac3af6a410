import path from "node:path";
import type { Logger } from "pino";
import { urlPhotoSource } from "./channels/photoDownload.ts";
import { createTelegramPhotoSource } from "./channels/telegram/photoSource.ts";
import type { WebPhotos } from "./channels/web/photoRoutes.ts";
import type { Config } from "./config.ts";
import { createPhotoLinks, photoLinkKey } from "./http/photoLinks.ts";
import type { Clock } from "./services/clock.ts";
import { createFeedbackPhotos, type PhotoSource } from "./services/feedbackPhotos.ts";
import type { Db } from "./storage/database.ts";
import { createPhotoFolder } from "./storage/photoFolder.ts";
import { sqlitePathFromUrl } from "./storage/sqliteFile.ts";

/** The folder of kept photos: `photos/` next to the database file, so a copy of the data folder has both. */
export const photoFolderOf = (databaseUrl: string) => path.join(path.dirname(sqlitePathFromUrl(databaseUrl)), "photos");

/**
 * The photos sent with feedback, wired once: kept in the data folder, fetched from the platforms
 * that are configured, read by every channel that sends one, and linked at `<PUBLIC_URL>/photos/`
 * for the platforms that show a photo by its address.
 */
export async function setUpPhotos(deps: { config: Config; db: Db; clock: Clock; logger: Logger }) {
  const { config, clock } = deps;
  const folder = createPhotoFolder(photoFolderOf(config.DATABASE_URL));
  const http = (root: string) => root.startsWith("http:");
  const sources: Partial<Record<string, PhotoSource>> = {
    ...(config.TELEGRAM_BOT_TOKEN
      ? { telegram: createTelegramPhotoSource({ token: config.TELEGRAM_BOT_TOKEN, apiRoot: config.TELEGRAM_API_ROOT }) }
      : {}),
    ...(config.ZALO_BOT_TOKEN ? { zalo_bot: urlPhotoSource({ allowHttp: http(config.ZALO_BOT_API_ROOT) }) } : {}),
    ...(config.ZALO_OA_APP_ID ? { zalo_oa: urlPhotoSource({ allowHttp: http(config.ZALO_OA_API_ROOT) }) } : {}),
  };
  const key = await photoLinkKey(deps.db, config.CHIBO_SECRET_KEY);
  const links = createPhotoLinks({ ...(config.PUBLIC_URL ? { publicUrl: config.PUBLIC_URL } : {}), key, read: folder.read, clock });
  const shelf: WebPhotos = { read: folder.read, save: folder.save, link: (ref) => links.urlFor(ref, clock.now()) };
  return {
    feedbackPhotos: createFeedbackPhotos({ db: deps.db, folder, sources, logger: deps.logger }),
    shelf,
    mount: links.mount,
  };
}
