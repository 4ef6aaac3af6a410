import express, { type Router } from "express";
import type { ConsoleDeps } from "../../context.ts";

/** Placeholder until the feedback pages are built. */
export function feedbackRoutes(_deps: ConsoleDeps): Router {
  return express.Router();
}
