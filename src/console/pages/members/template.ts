import type { Request, Response } from "express";
import type { TFunction } from "i18next";
import { memberListTemplate } from "../../../importing/template.ts";
import { viewerOf, type ConsoleDeps } from "../../context.ts";
import { NotFound } from "../../errors.ts";
import { managedPaths, orgInScope } from "./scope.ts";

const XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/**
 * The member list to fill in, the same workbook as `members template`: for the organization asked
 * for (or the first the viewer manages), so "Chi bộ" offers exactly its cells' names.
 */
export function templateRoute(deps: ConsoleDeps) {
  return async (req: Request, res: Response): Promise<void> => {
    const viewer = viewerOf(res);
    const organization = req.query.org === undefined
      ? (await deps.services.memberDirectory.importTargets(managedPaths(viewer)))[0]
      : await orgInScope(deps, viewer, req.query.org);
    if (!organization) throw new NotFound();
    const cells = await deps.services.organizations.cellsUnder(organization.code);
    // The headers and positions are the importer's words: Vietnamese whatever the reader's language.
    const vi = deps.translator.t("vi");
    const headerT = ((key: string) => vi(key)) as TFunction;
    const bytes = await memberListTemplate({ t: viewer.t, headerT, cells, organizationName: organization.name });
    res.set({ "content-type": XLSX_TYPE, "content-disposition": `attachment; filename="${viewer.t("consoleMembers:templateFileName")}"` }).send(bytes);
  };
}
