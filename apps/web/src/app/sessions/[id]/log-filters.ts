"use client";
// The log view's filters live in the address (?kinds=stderr,error&q=timeout): a filtered log can
// be shared, and survives a reload. The search box applies as one types, after a short pause.
import { usePathname, useSearchParams } from "next/navigation";
import { useEffect, useState } from "react";

const TYPING_PAUSE_MS = 250;

type Filters = { kinds: string[]; q: string };
const kindsOf = (p: URLSearchParams) => (p.get("kinds") ?? "").split(",").filter(Boolean);

export function useLogFilters() {
  const params = useSearchParams();
  const pathname = usePathname();
  const kinds = kindsOf(params);
  const q = params.get("q") ?? "";
  const [qInput, setQInput] = useState(q);

  // Reads the address at the moment of the change, not as last rendered: a kind toggled and a search
  // typed right after both stay. history.replaceState updates useSearchParams at once, with no
  // server round trip (a router navigation would re-run the page's server layout each time).
  const write = (change: (now: Filters) => Partial<Filters>) => {
    const p = new URLSearchParams(window.location.search);
    const now = { kinds: kindsOf(p), q: p.get("q") ?? "" };
    const next = { ...now, ...change(now) };
    const text = next.q.trim();
    if (next.kinds.length) p.set("kinds", next.kinds.join(","));
    else p.delete("kinds");
    if (text) p.set("q", text);
    else p.delete("q");
    const query = p.toString();
    window.history.replaceState(null, "", query ? `${pathname}?${query}` : pathname);
  };

  // Typing settles into the address after a pause; the address is what the view reads.
  // biome-ignore lint/correctness/useExhaustiveDependencies: write() reads the address itself; re-arming on each render would never fire while a live log re-renders.
  useEffect(() => {
    if (qInput.trim() === q) return;
    const t = setTimeout(() => write(() => ({ q: qInput })), TYPING_PAUSE_MS);
    return () => clearTimeout(t);
  }, [qInput, q]);

  return {
    kinds,
    q,
    qInput,
    setQInput,
    /** Applies the typed search at once (Enter). */
    applySearch: () => write(() => ({ q: qInput })),
    toggleKind: (k: string) => write((now) => ({ kinds: now.kinds.includes(k) ? now.kinds.filter((x) => x !== k) : [...now.kinds, k] })),
    clear: () => {
      setQInput("");
      write(() => ({ kinds: [], q: "" }));
    },
    filtered: kinds.length > 0 || q !== "",
  };
}
