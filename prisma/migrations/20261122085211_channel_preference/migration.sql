-- AlterTable
ALTER TABLE "ChatIdentity" ADD COLUMN "lastSeenAt" DATETIME;

