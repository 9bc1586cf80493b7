// Masks secret and credential values in what an agent printed, before it is stored or streamed.
// Longest values first, so a value containing another is masked whole.

export const MASK = "[secret hidden]";
/** Shorter values would mask ordinary words; a credential is never this short. */
const MIN_LENGTH = 6;

export type Mask = (text: string) => string;

/** The mask for `values`, or undefined when there is nothing to mask (output then passes untouched, at no cost). */
export function secretMask(values: Iterable<string>): Mask | undefined {
  // A value inside a JSON line (the raw output) appears escaped when it holds quotes or backslashes.
  const forms = [...values].flatMap((v) => [v, JSON.stringify(v).slice(1, -1)]);
  const list = [...new Set(forms.filter((v) => v.length >= MIN_LENGTH))].sort((a, b) => b.length - a.length);
  if (!list.length) return undefined;
  return (text) => {
    let out = text;
    for (const v of list) if (out.includes(v)) out = out.split(v).join(MASK);
    return out;
  };
}

/** Every string inside a JSON-like value, masked; the value itself when nothing was (no copy per event of an output flood). */
export function maskDeep<T>(value: T, mask: Mask): T {
  if (typeof value === "string") return mask(value) as T;
  if (Array.isArray(value)) {
    let out: unknown[] | undefined;
    value.forEach((v, i) => {
      const m = maskDeep(v, mask);
      if (m === v) return;
      out ??= [...value];
      out[i] = m;
    });
    return (out ?? value) as T;
  }
  if (value && typeof value === "object" && !(value instanceof Date)) {
    let out: Record<string, unknown> | undefined;
    for (const [k, v] of Object.entries(value)) {
      const m = maskDeep(v, mask);
      if (m === v) continue;
      out ??= { ...(value as Record<string, unknown>) };
      out[k] = m;
    }
    return (out ?? value) as T;
  }
  return value;
}

/** Token-like strings in a login file (access, refresh and id tokens, keys), to mask them too. */
export function loginFileSecrets(json: unknown): string[] {
  const out: string[] = [];
  const walk = (v: unknown, key: string) => {
    if (typeof v === "string") {
      if (/token|key|secret/i.test(key)) out.push(v);
    } else if (Array.isArray(v)) {
      for (const x of v) walk(x, key);
    } else if (v && typeof v === "object") for (const [k, x] of Object.entries(v)) walk(x, k);
  };
  walk(json, "");
  return out;
}
