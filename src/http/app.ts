import express, { type Express, type NextFunction, type Request, type Response } from "express";
import type { Logger } from "pino";
import { mountPrivacyPage } from "./privacyPage.ts";

export interface HttpDeps {
  isDatabaseReachable(): Promise<boolean>;
  logger: Logger;
  /** Routes of the channels (webhooks) and pages, mounted before the not-found answer. */
  mounts?: ((app: Express) => void)[];
}

/** The express app: health now; webhooks and the web chat mount here as channels arrive. */
export function createHttpApp(deps: HttpDeps): Express {
  const app = express();
  app.disable("x-powered-by");

  app.get("/health", async (_req, res) => {
    const database = await deps.isDatabaseReachable();
    res.status(database ? 200 : 503).json({ status: database ? "ok" : "unavailable", database: database ? "ok" : "unreachable" });
  });

  // The full notice of what chibo stores, linked from the chat's notice.
  mountPrivacyPage(app);

  for (const mount of deps.mounts ?? []) mount(app);

  app.use((_req, res) => {
    res.status(404).json({ error: "not_found" });
  });

  // The one error boundary for HTTP: log the detail, answer without a stack trace.
  app.use((error: unknown, req: Request, res: Response, _next: NextFunction) => {
    // Bodies express could not read (bad JSON, too large) are the sender's fault, not ours.
    const status = (error as { status?: unknown }).status;
    if (typeof status === "number" && status >= 400 && status < 500) {
      res.status(status).json({ error: "bad_request" });
      return;
    }
    deps.logger.error({ err: error, path: req.path }, "http request failed");
    if (!res.headersSent) res.status(500).json({ error: "internal_error" });
  });

  return app;
}
