// The web server's handle on sign-in: the auth instance over the app's database.
import { serverEnv } from "@drover/api/env";
import { getAuth, type Auth } from "@drover/auth";
import { getDb, type Db } from "@drover/db";

export function webDb(): Db {
  return getDb(serverEnv().DATABASE_URL);
}

export function webAuth(): Promise<Auth> {
  return getAuth(webDb());
}
