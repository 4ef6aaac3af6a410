-- The folded text for search; existing items are folded by chibo at start (foldFeedbackSearchText).
ALTER TABLE "Feedback" ADD COLUMN "searchText" TEXT NOT NULL DEFAULT '';
