"use client";
// The log view's filters live in the address (?kinds=stderr,error&q=timeout): a filtered log can
// be shared, and survives a reload. The search box applies as one types, after a short pause.
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useEffect, useState } from "react";

const TYPING_PAUSE_MS = 250;

export function useLogFilters() {
  const params = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  const kinds = (params.get("kinds") ?? "").split(",").filter(Boolean);
  const q = params.get("q") ?? "";
  const [qInput, setQInput] = useState(q);

  const write = (next: { kinds?: string[]; q?: string }) => {
    const p = new URLSearchParams(params.toString());
    const k = next.kinds ?? kinds;
    const text = (next.q ?? q).trim();
    if (k.length) p.set("kinds", k.join(","));
    else p.delete("kinds");
    if (text) p.set("q", text);
    else p.delete("q");
    const query = p.toString();
    router.replace(query ? `${pathname}?${query}` : pathname, { scroll: false });
  };

  // Typing settles into the address after a pause; the address is what the view reads.
  // biome-ignore lint/correctness/useExhaustiveDependencies: write() reads the same params; re-arming on each render would never fire while a live log re-renders.
  useEffect(() => {
    if (qInput.trim() === q) return;
    const t = setTimeout(() => write({ q: qInput }), TYPING_PAUSE_MS);
    return () => clearTimeout(t);
  }, [qInput, q, params]);

  return {
    kinds,
    q,
    qInput,
    setQInput,
    /** Applies the typed search at once (Enter). */
    applySearch: () => write({ q: qInput }),
    toggleKind: (k: string) => write({ kinds: kinds.includes(k) ? kinds.filter((x) => x !== k) : [...kinds, k] }),
    clear: () => {
      setQInput("");
      write({ kinds: [], q: "" });
    },
    filtered: kinds.length > 0 || q !== "",
  };
}
