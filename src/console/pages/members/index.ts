import express, { type Router } from "express";
import type { ConsoleDeps } from "../../context.ts";

/** Placeholder until the members pages are built. */
export function membersRoutes(_deps: ConsoleDeps): Router {
  return express.Router();
}
