// What a story page's address (/projects/<project id or name>/stories/<number>) asks views.storyAt
// for; the server layout and the browser page ask alike, so the page finds the layout's answer in its cache.
export function storyAtInput(params: { project: string; number: string }) {
  return { project: decoded(params.project), number: Number(params.number) };
}

/** The browser's params come percent-encoded, the server's decoded; a name such as "50% off" must survive both. */
function decoded(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
