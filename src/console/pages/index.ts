import type { Router } from "express";
import type { ConsoleArea } from "../../domain/consoleAccess.ts";
import type { ConsoleDeps } from "../context.ts";
import { feedbackRoutes } from "./feedback/index.ts";
import { meRoutes } from "./me/index.ts";
import { meetingsRoutes } from "./meetings/index.ts";
import { membersRoutes } from "./members/index.ts";
import { noticesRoutes } from "./notices/index.ts";
import { organizationRoutes } from "./organization/index.ts";
import { overviewRoutes } from "./overview/index.ts";

/** Each part of the console, mounted at /console/<area>; every page checks its own scope. */
export function consoleAreas(deps: ConsoleDeps): [ConsoleArea | "me", Router][] {
  return [
    ["overview", overviewRoutes(deps)],
    ["feedback", feedbackRoutes(deps)],
    ["meetings", meetingsRoutes(deps)],
    ["members", membersRoutes(deps)],
    ["organization", organizationRoutes(deps)],
    ["notices", noticesRoutes(deps)],
    ["me", meRoutes(deps)],
  ];
}
