import type { Request, Response } from "express";
import { isDomainError } from "../../../domain/errors.ts";
import { MAX_FILE_BYTES } from "../../../importing/limits.ts";
import { viewerOf, type ConsoleDeps, type Viewer } from "../../context.ts";
import { html, type Html } from "../../html.ts";
import { page } from "../../layout.ts";
import { readMultipart, UploadTooLarge, type MultipartForm } from "../../multipart.ts";
import { intParam } from "../../ui.ts";
import { previewBody, problemsTable, uploadForm, type Target } from "./importView.ts";
import { actorOf, field, managedPaths, orgInScope, refusalText } from "./scope.ts";

const MB = 1024 * 1024;

/**
 * Importing a member list from the console: the file is checked (nothing saved) and every problem
 * shown; a clean file's summary waits for the Confirm button, which imports exactly that file in
 * the importer's one transaction (memberImportUploads.ts keeps it meanwhile).
 */
export function importRoutes(deps: ConsoleDeps) {
  const uploads = deps.services.memberImportUploads;
  const targetsOf = (viewer: Viewer) => deps.services.memberDirectory.importTargets(managedPaths(viewer));

  function send(res: Response, viewer: Viewer, status: number, body: Html, flash?: string): void {
    const title = viewer.t("consoleMembers:importTitle");
    res.status(status).type("html").send(page(viewer, { title, area: "members", body, ...(flash ? { flash } : {}) }).toString());
  }

  async function formPage(res: Response, viewer: Viewer, status: number, options: { message?: string; chosen?: number; flash?: string } = {}): Promise<void> {
    const { t } = viewer;
    const { message, chosen } = options;
    const body = html`<p><a href="/console/members">${t("consoleMembers:backToList")}</a></p>
${message ? html`<p class="error" role="alert">${message}</p>` : ""}
<p>${t("consoleMembers:importIntro")}</p>
<p><a href="/console/members/template.xlsx${chosen ? `?org=${chosen}` : ""}">${t("consoleMembers:templateLink")}</a></p>
${uploadForm(viewer, await targetsOf(viewer), chosen)}`;
    send(res, viewer, status, body, options.flash);
  }

  /** The file form, or its size refused before anything in it is read. */
  async function readUpload(req: Request, res: Response, viewer: Viewer): Promise<MultipartForm | undefined> {
    try {
      return await readMultipart(req, res, { maxFileBytes: MAX_FILE_BYTES });
    } catch (error) {
      if (!(error instanceof UploadTooLarge)) throw error;
      await formPage(res, viewer, 413, { message: viewer.t("consoleMembers:importTooLarge", { maxMb: MAX_FILE_BYTES / MB }) });
      return undefined;
    }
  }

  return {
    async show(req: Request, res: Response): Promise<void> {
      const viewer = viewerOf(res);
      const flash = req.query.ok === "imported"
        ? viewer.t("consoleMembers:ok_imported", {
          created: intParam(req.query.created, 0, 0), updated: intParam(req.query.updated, 0, 0),
          unchanged: intParam(req.query.unchanged, 0, 0), left: intParam(req.query.left, 0, 0),
        })
        : req.query.ok === "importCancelled" ? viewer.t("consoleMembers:ok_importCancelled") : undefined;
      const chosen = intParam(req.query.org, 0);
      await formPage(res, viewer, 200, { ...(chosen ? { chosen } : {}), ...(flash ? { flash } : {}) });
    },

    async check(req: Request, res: Response): Promise<void> {
      const viewer = viewerOf(res);
      const form = await readUpload(req, res, viewer);
      if (!form) return;
      const organization = await orgInScope(deps, viewer, form.fields.org);
      const file = form.files[0];
      if (!file || file.bytes.length === 0) return formPage(res, viewer, 400, { message: viewer.t("consoleMembers:importNoFile"), chosen: organization.id });
      let result;
      try {
        result = await uploads.preview({
          sessionId: viewer.session.sessionId, memberId: viewer.id, orgCode: organization.code, organizationId: organization.id,
          fileName: file.fileName, bytes: file.bytes, now: deps.clock.now(), actor: actorOf(viewer),
        });
      } catch (error) {
        if (!isDomainError(error)) throw error;
        return formPage(res, viewer, 400, { message: refusalText(viewer, error), chosen: organization.id });
      }
      if (!result.pending) {
        const body = html`${problemsTable(viewer, file.fileName, result.report.problems)}
<h2>${viewer.t("consoleMembers:importAgain")}</h2>
${uploadForm(viewer, await targetsOf(viewer), organization.id)}`;
        return send(res, viewer, 400, body);
      }
      send(res, viewer, 200, previewBody(viewer, organization, result.pending));
    },

    async confirm(req: Request, res: Response): Promise<void> {
      const viewer = viewerOf(res);
      const now = deps.clock.now();
      const pending = await uploads.pending(viewer.session.sessionId, viewer.id, now);
      if (!pending) return formPage(res, viewer, 400, { message: viewer.t("consoleMembers:importGone") });
      const organization = await orgInScope(deps, viewer, String(pending.organizationId));
      const outcome = await uploads.confirm({
        sessionId: viewer.session.sessionId, memberId: viewer.id, orgCode: organization.code, sha256: field(req.body, "sha256"),
        allowDeactivate: field(req.body, "allowDeactivate") === "yes", now, actor: actorOf(viewer),
      });
      switch (outcome.kind) {
        case "done": {
          const { report } = outcome;
          const counts = new URLSearchParams({
            ok: "imported", created: String(report.created), updated: String(report.updated),
            unchanged: String(report.unchanged), left: String(report.deactivated.length),
          });
          res.redirect(303, `/console/members/import?${counts.toString()}`);
          return;
        }
        case "gone":
          return formPage(res, viewer, 400, { message: viewer.t("consoleMembers:importGone"), chosen: organization.id });
        case "needsAllow":
          return send(res, viewer, 400, previewBody(viewer, organization, outcome.pending, {
            kind: "error", text: viewer.t("consoleMembers:importTickToConfirm"),
          }));
        case "changed": {
          const note = { kind: "warning" as const, text: viewer.t("consoleMembers:importChanged") };
          if (outcome.pending) return send(res, viewer, 409, previewBody(viewer, organization, outcome.pending, note));
          const body = html`<p class="warning" role="alert">${note.text}</p>${problemsTable(viewer, pending.fileName, outcome.report.problems)}
${uploadForm(viewer, await targetsOf(viewer), organization.id)}`;
          return send(res, viewer, 409, body);
        }
      }
    },

    async cancel(_req: Request, res: Response): Promise<void> {
      const viewer = viewerOf(res);
      await uploads.discard(viewer.session.sessionId);
      res.redirect(303, "/console/members/import?ok=importCancelled");
    },
  };
}
