-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_NoticeDelivery" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "noticeId" INTEGER NOT NULL,
    "memberId" INTEGER NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'queued',
    "acknowledgedAt" DATETIME,
    CONSTRAINT "NoticeDelivery_noticeId_fkey" FOREIGN KEY ("noticeId") REFERENCES "Notice" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "NoticeDelivery_memberId_fkey" FOREIGN KEY ("memberId") REFERENCES "Member" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_NoticeDelivery" ("acknowledgedAt", "id", "memberId", "noticeId", "status") SELECT "acknowledgedAt", "id", "memberId", "noticeId", "status" FROM "NoticeDelivery";
DROP TABLE "NoticeDelivery";
ALTER TABLE "new_NoticeDelivery" RENAME TO "NoticeDelivery";
CREATE UNIQUE INDEX "NoticeDelivery_noticeId_memberId_key" ON "NoticeDelivery"("noticeId", "memberId");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

