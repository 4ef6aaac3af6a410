import express, { type Router } from "express";
import type { ConsoleDeps } from "../../context.ts";

/** Placeholder until the meetings pages are built. */
export function meetingsRoutes(_deps: ConsoleDeps): Router {
  return express.Router();
}
