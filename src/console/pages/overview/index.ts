import express, { type Router } from "express";
import type { ConsoleDeps } from "../../context.ts";

/** Placeholder until the overview pages are built. */
export function overviewRoutes(_deps: ConsoleDeps): Router {
  return express.Router();
}
