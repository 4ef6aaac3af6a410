-- CreateTable
CREATE TABLE "ConsoleSignIn" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "tokenHash" TEXT NOT NULL,
    "memberId" INTEGER NOT NULL,
    "issuedVia" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL,
    "expiresAt" DATETIME NOT NULL,
    "usedAt" DATETIME,
    CONSTRAINT "ConsoleSignIn_memberId_fkey" FOREIGN KEY ("memberId") REFERENCES "Member" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "ConsoleSession" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "tokenHash" TEXT NOT NULL,
    "csrfToken" TEXT NOT NULL,
    "memberId" INTEGER NOT NULL,
    "createdAt" DATETIME NOT NULL,
    "lastSeenAt" DATETIME NOT NULL,
    "expiresAt" DATETIME NOT NULL,
    "userAgent" TEXT,
    CONSTRAINT "ConsoleSession_memberId_fkey" FOREIGN KEY ("memberId") REFERENCES "Member" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "FeedbackNote" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "feedbackId" INTEGER NOT NULL,
    "authorId" INTEGER,
    "text" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL,
    CONSTRAINT "FeedbackNote_feedbackId_fkey" FOREIGN KEY ("feedbackId") REFERENCES "Feedback" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "AnswerTemplate" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "organizationId" INTEGER NOT NULL,
    "title" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "createdById" INTEGER,
    "createdAt" DATETIME NOT NULL,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "AnswerTemplate_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization" ("id") ON DELETE CASCADE ON UPDATE CASCADE
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
    "assigneeId" INTEGER,
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
    CONSTRAINT "Feedback_assigneeId_fkey" FOREIGN KEY ("assigneeId") REFERENCES "Member" ("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "Feedback_cellId_fkey" FOREIGN KEY ("cellId") REFERENCES "Organization" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);
INSERT INTO "new_Feedback" ("addressee", "agencyName", "anonymous", "answer", "answeredAt", "answeredById", "authorId", "category", "cellId", "createdAt", "dueAt", "id", "photoRef", "reference", "status", "text", "topOrganizationId", "updatedAt") SELECT "addressee", "agencyName", "anonymous", "answer", "answeredAt", "answeredById", "authorId", "category", "cellId", "createdAt", "dueAt", "id", "photoRef", "reference", "status", "text", "topOrganizationId", "updatedAt" FROM "Feedback";
DROP TABLE "Feedback";
ALTER TABLE "new_Feedback" RENAME TO "Feedback";
CREATE INDEX "Feedback_assigneeId_idx" ON "Feedback"("assigneeId");
CREATE INDEX "Feedback_cellId_createdAt_idx" ON "Feedback"("cellId", "createdAt");
CREATE INDEX "Feedback_status_idx" ON "Feedback"("status");
CREATE UNIQUE INDEX "Feedback_topOrganizationId_reference_key" ON "Feedback"("topOrganizationId", "reference");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE UNIQUE INDEX "ConsoleSignIn_tokenHash_key" ON "ConsoleSignIn"("tokenHash");

-- CreateIndex
CREATE INDEX "ConsoleSignIn_memberId_idx" ON "ConsoleSignIn"("memberId");

-- CreateIndex
CREATE INDEX "ConsoleSignIn_expiresAt_idx" ON "ConsoleSignIn"("expiresAt");

-- CreateIndex
CREATE UNIQUE INDEX "ConsoleSession_tokenHash_key" ON "ConsoleSession"("tokenHash");

-- CreateIndex
CREATE INDEX "ConsoleSession_memberId_idx" ON "ConsoleSession"("memberId");

-- CreateIndex
CREATE INDEX "ConsoleSession_expiresAt_idx" ON "ConsoleSession"("expiresAt");

-- CreateIndex
CREATE INDEX "FeedbackNote_feedbackId_idx" ON "FeedbackNote"("feedbackId");

-- CreateIndex
CREATE INDEX "AnswerTemplate_organizationId_idx" ON "AnswerTemplate"("organizationId");

