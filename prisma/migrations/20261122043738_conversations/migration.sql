-- AlterTable
ALTER TABLE "Notice" ADD COLUMN "broadcastId" INTEGER;

-- AlterTable
ALTER TABLE "OutboxMessage" ADD COLUMN "attachment" TEXT;

-- CreateTable
CREATE TABLE "ChatFlow" (
    "key" TEXT NOT NULL PRIMARY KEY,
    "channel" TEXT NOT NULL,
    "chatId" TEXT NOT NULL,
    "memberId" INTEGER NOT NULL,
    "feature" TEXT NOT NULL,
    "step" TEXT NOT NULL,
    "data" TEXT NOT NULL,
    "language" TEXT NOT NULL,
    "startedAt" DATETIME NOT NULL,
    "expiresAt" DATETIME NOT NULL
);

-- CreateIndex
CREATE INDEX "ChatFlow_expiresAt_idx" ON "ChatFlow"("expiresAt");

