-- Who made each change, on the activity feed, and an append-only audit trail fed from it.

-- Events from before the audit trail do not know who made them; "pipeline" events were Drover's own.
ALTER TABLE "project_events" ADD COLUMN "actor_kind" TEXT, ADD COLUMN "actor_id" TEXT, ADD COLUMN "actor_user_id" TEXT, ADD COLUMN "actor_name" TEXT;
UPDATE "project_events" SET "actor_kind" = 'automation', "actor_id" = 'pipeline', "actor_name" = 'pipeline' WHERE "agent_name" = 'pipeline';
UPDATE "project_events" SET "actor_kind" = 'unknown', "actor_id" = 'unknown', "actor_name" = 'unknown (before the audit trail)' WHERE "actor_kind" IS NULL;
ALTER TABLE "project_events" ALTER COLUMN "actor_kind" SET NOT NULL, ALTER COLUMN "actor_id" SET NOT NULL, ALTER COLUMN "actor_name" SET NOT NULL;

CREATE TABLE "audit_events" (
    "id" BIGSERIAL NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "actor_kind" TEXT NOT NULL,
    "actor_id" TEXT NOT NULL,
    "actor_user_id" TEXT,
    "actor_name" TEXT NOT NULL,
    "project_id" INTEGER,
    "project_name" TEXT,
    "story_id" INTEGER,
    "story_number" INTEGER,
    "session_id" INTEGER,
    "agent_name" TEXT,
    "kind" TEXT NOT NULL,
    "message" TEXT NOT NULL,
    "payload" JSONB,

    CONSTRAINT "audit_events_pkey" PRIMARY KEY ("id")
);

CREATE INDEX "audit_events_project_id_id_idx" ON "audit_events"("project_id", "id");
CREATE INDEX "audit_events_actor_user_id_id_idx" ON "audit_events"("actor_user_id", "id");
CREATE INDEX "audit_events_actor_kind_id_idx" ON "audit_events"("actor_kind", "id");
CREATE INDEX "audit_events_kind_id_idx" ON "audit_events"("kind", "id");

-- Every activity event is audited, whoever inserts it (services, raw SQL, a future writer).
CREATE FUNCTION "audit_project_event"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "audit_events" ("at", "actor_kind", "actor_id", "actor_user_id", "actor_name", "project_id", "project_name",
    "story_id", "story_number", "session_id", "agent_name", "kind", "message", "payload")
  VALUES (NEW."at", NEW."actor_kind", NEW."actor_id", NEW."actor_user_id", NEW."actor_name", NEW."project_id",
    (SELECT "name" FROM "projects" WHERE "id" = NEW."project_id"),
    NEW."story_id", (SELECT "number" FROM "stories" WHERE "id" = NEW."story_id"),
    NEW."session_id", NEW."agent_name", NEW."kind", NEW."message", NEW."payload");
  RETURN NULL;
END $$;
CREATE TRIGGER "project_events_audit" AFTER INSERT ON "project_events" FOR EACH ROW EXECUTE FUNCTION "audit_project_event"();

-- Append-only: rows are never changed or removed, not even by the table's owner.
CREATE FUNCTION "audit_events_append_only"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_events is append-only: % is refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END $$;
CREATE TRIGGER "audit_events_no_update_delete" BEFORE UPDATE OR DELETE ON "audit_events" FOR EACH ROW EXECUTE FUNCTION "audit_events_append_only"();
CREATE TRIGGER "audit_events_no_truncate" BEFORE TRUNCATE ON "audit_events" FOR EACH STATEMENT EXECUTE FUNCTION "audit_events_append_only"();

-- The trail starts with the history there is.
INSERT INTO "audit_events" ("at", "actor_kind", "actor_id", "actor_user_id", "actor_name", "project_id", "project_name",
  "story_id", "story_number", "session_id", "agent_name", "kind", "message", "payload")
SELECT e."at", e."actor_kind", e."actor_id", e."actor_user_id", e."actor_name", e."project_id", p."name", e."story_id", s."number",
  e."session_id", e."agent_name", e."kind", e."message", e."payload"
FROM "project_events" e JOIN "projects" p ON p."id" = e."project_id" LEFT JOIN "stories" s ON s."id" = e."story_id"
ORDER BY e."id";
