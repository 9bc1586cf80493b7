-- Projects from a git remote: each runner clones remote_url; the roster is read from the remote base at config_commit.
ALTER TABLE "projects" ADD COLUMN "remote_url" TEXT, ADD COLUMN "remote_secret" TEXT, ADD COLUMN "config_commit" TEXT;

CREATE UNIQUE INDEX "projects_remote_url_key" ON "projects"("remote_url");
