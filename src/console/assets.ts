import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import express, { type Router } from "express";

const OWN = path.resolve(import.meta.dirname, "assets");
const require = createRequire(import.meta.url);
/** Chart.js is served from the installed package: no CDN, so the strict policy holds offline too. */
const CHART_JS = path.join(path.dirname(require.resolve("chart.js")), "chart.umd.min.js");

const TYPES: Record<string, string> = { ".css": "text/css; charset=utf-8", ".js": "text/javascript; charset=utf-8", ".svg": "image/svg+xml" };

/** chibo's own stylesheet and scripts (src/console/assets) and the chart library, read once. */
export function assetRoutes(): Router {
  const router = express.Router();
  const files = new Map<string, { type: string; body: Buffer }>();
  for (const name of fs.readdirSync(OWN)) {
    const type = TYPES[path.extname(name)];
    if (type) files.set(name, { type, body: fs.readFileSync(path.join(OWN, name)) });
  }
  files.set("chart.js", { type: TYPES[".js"]!, body: fs.readFileSync(CHART_JS) });
  router.get("/:name", (req, res, next) => {
    const file = files.get(String(req.params.name));
    if (!file) return next();
    res.set({ "content-type": file.type, "cache-control": "public, max-age=86400" }).send(file.body);
  });
  return router;
}
