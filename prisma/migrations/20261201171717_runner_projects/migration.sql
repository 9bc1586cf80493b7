-- The projects a runner serves (`drover runner --projects`); empty: every project.
ALTER TABLE "runners" ADD COLUMN "project_ids" INTEGER[] DEFAULT ARRAY[]::INTEGER[];
