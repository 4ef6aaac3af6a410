import express, { type Router } from "express";
import type { ConsoleDeps } from "../../context.ts";

/** Placeholder until the notices pages are built. */
export function noticesRoutes(_deps: ConsoleDeps): Router {
  return express.Router();
}
