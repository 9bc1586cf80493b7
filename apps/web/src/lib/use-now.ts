"use client";
// The current time, re-read every `ms` while `active` (running durations tick; finished ones don't).
import { useEffect, useState } from "react";

export function useNow(active: boolean, ms = 1000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!active) return;
    const t = setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(t);
  }, [active, ms]);
  return now;
}
