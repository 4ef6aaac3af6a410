import express, { type Router } from "express";
import type { ConsoleDeps } from "../../context.ts";

/** Placeholder until the me pages are built. */
export function meRoutes(_deps: ConsoleDeps): Router {
  return express.Router();
}
