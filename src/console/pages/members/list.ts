import type { Request, Response } from "express";
import type { ConsoleDeps } from "../../context.ts";
import { viewerOf } from "../../context.ts";
import { NotFound } from "../../errors.ts";
import { page } from "../../layout.ts";
import { flashOf, intParam } from "../../ui.ts";
import { filterKeys, listBody, type ListForm } from "./listView.ts";
import { actorOf, managedPaths } from "./scope.ts";

const oneOf = <T extends string>(value: unknown, allowed: readonly T[]): T | undefined =>
  typeof value === "string" && (allowed as readonly string[]).includes(value) ? (value as T) : undefined;

/** The filters from the address or a posted form; what is not one of the choices is left out. */
export function readListForm(source: Record<string, unknown>, withQuery: boolean): ListForm {
  const cell = intParam(source.cell, 0);
  return {
    query: withQuery && typeof source.query === "string" ? source.query.trim().slice(0, 100) : "",
    ...(cell > 0 ? { cell } : {}),
    ...optional("status", oneOf(source.status, ["full", "probationary"] as const)),
    ...optional("linked", oneOf(source.linked, ["yes", "no"] as const)),
    ...optional("exemption", oneOf(source.exemption, ["none", "exempt", "temporary"] as const)),
    page: intParam(source.page, 1),
  };
}

const optional = <K extends string, V>(key: K, value: V | undefined) => (value === undefined ? {} : ({ [key]: value } as Record<K, V>));

/** The members list: GET with filter keys in the address, POST when a name or phone is searched. */
export function listRoutes(deps: ConsoleDeps) {
  async function show(req: Request, res: Response, form: ListForm): Promise<void> {
    const viewer = viewerOf(res);
    const paths = managedPaths(viewer);
    const cells = await deps.services.memberDirectory.cellsIn(paths);
    if (form.cell !== undefined && !cells.some((c) => c.id === form.cell)) throw new NotFound();
    const found = await deps.services.memberDirectory.search(paths, {
      ...(form.query ? { query: form.query } : {}),
      ...(form.cell === undefined ? {} : { cellId: form.cell }),
      ...(form.status ? { status: form.status } : {}),
      ...(form.linked ? { linked: form.linked === "yes" } : {}),
      ...(form.exemption ? { exemption: form.exemption } : {}),
      page: form.page,
    }, deps.clock.now(), actorOf(viewer));
    const body = listBody(viewer, form, cells, found);
    const flash = flashOf(req, viewer, "consoleMembers");
    res.type("html").send(page(viewer, { title: viewer.t("consoleMembers:title"), area: "members", body, flash }).toString());
  }

  return {
    async get(req: Request, res: Response): Promise<void> {
      await show(req, res, readListForm(req.query as Record<string, unknown>, false));
    },
    async post(req: Request, res: Response): Promise<void> {
      const form = readListForm((req.body ?? {}) as Record<string, unknown>, true);
      if (form.query === "") {
        const keys = new URLSearchParams({ ...filterKeys(form), ...(form.page > 1 ? { page: String(form.page) } : {}) }).toString();
        res.redirect(303, `/console/members${keys ? `?${keys}` : ""}`);
        return;
      }
      await show(req, res, form);
    },
  };
}
