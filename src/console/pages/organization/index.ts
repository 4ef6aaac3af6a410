import express, { type Router } from "express";
import type { ConsoleDeps } from "../../context.ts";

/** Placeholder until the organization pages are built. */
export function organizationRoutes(_deps: ConsoleDeps): Router {
  return express.Router();
}
