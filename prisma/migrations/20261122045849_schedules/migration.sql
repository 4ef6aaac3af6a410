-- AlterTable
ALTER TABLE "Organization" ADD COLUMN "scheduleSettings" TEXT;

-- CreateTable
CREATE TABLE "ScheduleRun" (
    "job" TEXT NOT NULL,
    "slot" TEXT NOT NULL,
    "dueAt" DATETIME NOT NULL,
    "claimedAt" DATETIME NOT NULL,
    "claimedBy" TEXT NOT NULL,
    "finishedAt" DATETIME,
    "queued" INTEGER NOT NULL DEFAULT 0,
    "error" TEXT,

    PRIMARY KEY ("job", "slot")
);

-- CreateIndex
CREATE INDEX "ScheduleRun_dueAt_idx" ON "ScheduleRun"("dueAt");

