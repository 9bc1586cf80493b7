// Marks every occurrence of a search term inside an element with the CSS Custom Highlight API:
// no DOM changes (React keeps owning the rows), and rows that render later (a virtual list
// scrolling, slices arriving) are marked as they appear. Styled by ::highlight(<name>) in globals.css.
import { type RefObject, useEffect } from "react";

export function useSearchHighlight(container: RefObject<HTMLElement | null>, term: string, name: string): void {
  useEffect(() => {
    const el = container.current;
    const registry = typeof CSS !== "undefined" ? CSS.highlights : undefined;
    if (!el || !registry || typeof Highlight === "undefined") return;
    const needle = term.toLowerCase();
    if (!needle) {
      registry.delete(name);
      return;
    }
    const paint = () => {
      const ranges: Range[] = [];
      const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const text = node.nodeValue?.toLowerCase() ?? "";
        for (let i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + needle.length)) {
          const range = new Range();
          range.setStart(node, i);
          range.setEnd(node, i + needle.length);
          ranges.push(range);
        }
      }
      registry.set(name, new Highlight(...ranges));
    };
    paint();
    const observer = new MutationObserver(paint);
    observer.observe(el, { subtree: true, childList: true, characterData: true });
    return () => {
      observer.disconnect();
      registry.delete(name);
    };
  }, [container, term, name]);
}
