// The built app over real HTTP: bodies past the size limit get 413 (also when chunked without a
// Content-Length), batches past the batch limit get 400, and ids past int4 or NUL characters get a
// readable 400 instead of a 500 with database text.
import http from "node:http";
import { MAX_BATCH_SIZE, MAX_BODY_BYTES } from "@drover/api/request-limits";
import { ADMIN_STATE } from "../playwright.config.ts";
import { expect, seeded, test, uid } from "./support/fixtures.ts";
import { adminCookieHeader } from "./support/sign-in.ts";

type ErrorBody = { error: { json: { message: string; data: { code: string; httpStatus: number } } } };

/** POSTs a body of `bytes` in chunks with no Content-Length; resolves with the status once the server answers. */
function postChunked(url: string, bytes: number): Promise<{ status: number; body: string; sent: number }> {
  return new Promise((resolve, reject) => {
    let sent = 0;
    let answered = false;
    const req = http.request(
      url,
      { method: "POST", headers: { "content-type": "application/json", "transfer-encoding": "chunked", cookie: adminCookieHeader(ADMIN_STATE) } },
      (res) => {
        answered = true;
        let body = "";
        res.on("data", (c: Buffer) => (body += c.toString()));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body, sent }));
      },
    );
    req.on("error", (err) => (answered ? undefined : reject(err)));
    const chunk = Buffer.alloc(64 * 1024, "a");
    const pump = () => {
      while (!answered && sent < bytes) {
        sent += chunk.length;
        if (!req.write(chunk)) return req.once("drain", pump);
      }
      if (!answered) req.end();
    };
    req.write('{"json":{"projectId":1,"title":"');
    pump();
  });
}

test("request limits over HTTP: body size, batch size, id range and NUL characters", async ({ request, baseURL }) => {
  const projectId = seeded().projectId;

  // Content-Length past the limit: refused before the body is read.
  const big = "x".repeat(MAX_BODY_BYTES + 1);
  const tooBig = await request.post(`/api/trpc/stories.create`, { headers: { "content-type": "application/json" }, data: big });
  expect(tooBig.status()).toBe(413);
  expect(((await tooBig.json()) as ErrorBody).error.json.message).toContain(`larger than ${MAX_BODY_BYTES} bytes`);

  // No Content-Length: cut off while reading, long before 50 MB were taken in.
  const chunked = await postChunked(`${baseURL}/api/trpc/stories.create`, 50 * 1024 * 1024);
  expect(chunked.status).toBe(413);
  expect(chunked.body).toContain(`larger than ${MAX_BODY_BYTES} bytes`);
  expect(chunked.sent).toBeLessThan(50 * 1024 * 1024);

  // The largest story body there is (200,000 characters, 400 KB in UTF-8) still fits.
  const ok = await request.post(`/api/trpc/stories.create`, { data: { json: { projectId, title: `Large body ${uid()}`, body: "é".repeat(200_000) } } });
  expect(ok.status()).toBe(200);

  // Batches: at the limit accepted, one more refused.
  const batch = (n: number) => {
    const paths = Array.from({ length: n }, () => "views.projects").join(",");
    return request.get(`/api/trpc/${paths}?batch=1&input=${encodeURIComponent("{}")}`);
  };
  expect((await batch(MAX_BATCH_SIZE)).status()).toBe(200);
  const tooMany = await batch(MAX_BATCH_SIZE + 1);
  expect(tooMany.status()).toBe(400);
  expect(((await tooMany.json()) as ErrorBody).error.json.message).toBe(`Batch call exceeds maximum size: send at most ${MAX_BATCH_SIZE} calls in one request`);

  // An id past int4 and a NUL in a title: 400 with what to fix, no database text.
  const input = encodeURIComponent(JSON.stringify({ json: { storyId: 2 ** 31 } }));
  const badId = await request.get(`/api/trpc/views.story?input=${input}`);
  expect(badId.status()).toBe(400);
  expect(((await badId.json()) as ErrorBody).error.json.message).toBe("storyId: must be at most 2147483647");
  const nul = await request.post(`/api/trpc/stories.create`, { data: { json: { projectId, title: "bad\u0000title" } } });
  expect(nul.status()).toBe(400);
  expect(((await nul.json()) as ErrorBody).error.json.message).toBe("title: must not contain NUL characters (\\u0000); remove them");
});
