-- AlterTable
ALTER TABLE "Member" ADD COLUMN "consentAt" DATETIME;
ALTER TABLE "OutboxMessage" ADD COLUMN "forgetText" BOOLEAN NOT NULL DEFAULT false;
ALTER TABLE "Member" ADD COLUMN "consentVersion" TEXT;
ALTER TABLE "Member" ADD COLUMN "deactivatedAt" DATETIME;
ALTER TABLE "Member" ADD COLUMN "eraseRequestedAt" DATETIME;
ALTER TABLE "Member" ADD COLUMN "erasedAt" DATETIME;

-- CreateTable
CREATE TABLE "Sequence" (
    "key" TEXT NOT NULL PRIMARY KEY,
    "value" INTEGER NOT NULL
);

-- CreateTable
CREATE TABLE "LinkAttempt" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "channel" TEXT NOT NULL,
    "externalUserId" TEXT NOT NULL,
    "chatId" TEXT NOT NULL,
    "at" DATETIME NOT NULL
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Feedback" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "reference" TEXT NOT NULL,
    "topOrganizationId" INTEGER NOT NULL,
    "authorId" INTEGER,
    "anonymous" BOOLEAN NOT NULL DEFAULT false,
    "cellId" INTEGER NOT NULL,
    "addressee" TEXT NOT NULL,
    "agencyName" TEXT,
    "category" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "photoRef" TEXT,
    "status" TEXT NOT NULL DEFAULT 'submitted',
    "answer" TEXT,
    "answeredById" INTEGER,
    "answeredAt" DATETIME,
    "dueAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Feedback_authorId_fkey" FOREIGN KEY ("authorId") REFERENCES "Member" ("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "Feedback_cellId_fkey" FOREIGN KEY ("cellId") REFERENCES "Organization" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);
-- Each item belongs to the numbering of its cell's top organization: the first id of the cell's
-- path "/<top>/…/<cell>/" (the cell itself when it has no path).
INSERT INTO "new_Feedback" ("addressee", "agencyName", "anonymous", "answer", "answeredAt", "answeredById", "authorId", "category", "cellId", "createdAt", "dueAt", "id", "photoRef", "reference", "status", "text", "updatedAt", "topOrganizationId") SELECT f."addressee", f."agencyName", f."anonymous", f."answer", f."answeredAt", f."answeredById", f."authorId", f."category", f."cellId", f."createdAt", f."dueAt", f."id", f."photoRef", f."reference", f."status", f."text", f."updatedAt", COALESCE(CASE WHEN length(o."path") > 2 THEN CAST(substr(o."path", 2, instr(substr(o."path", 2), '/') - 1) AS INTEGER) END, f."cellId") FROM "Feedback" f JOIN "Organization" o ON o."id" = f."cellId";
DROP TABLE "Feedback";
ALTER TABLE "new_Feedback" RENAME TO "Feedback";
CREATE INDEX "Feedback_cellId_createdAt_idx" ON "Feedback"("cellId", "createdAt");
CREATE INDEX "Feedback_status_idx" ON "Feedback"("status");
CREATE UNIQUE INDEX "Feedback_topOrganizationId_reference_key" ON "Feedback"("topOrganizationId", "reference");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE INDEX "LinkAttempt_channel_externalUserId_at_idx" ON "LinkAttempt"("channel", "externalUserId", "at");

-- CreateIndex
CREATE INDEX "LinkAttempt_channel_chatId_at_idx" ON "LinkAttempt"("channel", "chatId", "at");

-- CreateIndex
CREATE INDEX "LinkAttempt_at_idx" ON "LinkAttempt"("at");

-- CreateIndex
CREATE INDEX "AuditLog_actorId_at_idx" ON "AuditLog"("actorId", "at");

-- CreateIndex
CREATE INDEX "AuditLog_action_at_idx" ON "AuditLog"("action", "at");

-- CreateIndex
CREATE INDEX "OutboxMessage_channel_status_nextAttemptAt_idx" ON "OutboxMessage"("channel", "status", "nextAttemptAt");

