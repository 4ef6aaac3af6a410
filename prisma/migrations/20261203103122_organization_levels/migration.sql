-- The organization since July 2025: levels are data, settings are inherited down the tree.
ALTER TABLE "Organization" ADD COLUMN "feedbackAddressees" TEXT;
ALTER TABLE "Organization" ADD COLUMN "unitKind" TEXT;
ALTER TABLE "Holiday" ADD COLUMN "dayOff" BOOLEAN NOT NULL DEFAULT true;

-- A database of the district era carried forward: its district (the top) becomes the top
-- organization, at the province level, keeping its settings, holidays and reviewers; its base
-- organizations were communes and towns.
UPDATE "Organization" SET "level" = 'province', "unitKind" = 'province' WHERE "level" = 'district';
UPDATE "Organization" SET "unitKind" = 'commune' WHERE "level" = 'base' AND "unitKind" IS NULL;

-- Feedback addressed to the district's executive or standing committee now reads as addressed to
-- the party committee of the organization that took its place.
UPDATE "Feedback" SET "addressee" = 'party_committee' WHERE "addressee" IN ('district_committee', 'standing_committee');
