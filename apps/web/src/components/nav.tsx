"use client";
// Top bar: a skip link, the project switcher and the app's pages. The project travels in ?project=.
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { signOut, useMe } from "@/lib/me";
import { useTRPC } from "@/lib/trpc";
import { DesktopNotifications } from "./desktop-notifications";

export function useProjectId(): number | undefined {
  const trpc = useTRPC();
  const params = useSearchParams();
  const projects = useQuery(trpc.views.projects.queryOptions());
  const fromUrl = Number(params.get("project"));
  if (fromUrl > 0) return fromUrl;
  return projects.data?.[0]?.id;
}

const LINKS = [
  ["/", "Board", "viewer"],
  ["/roster", "Roster", "viewer"],
  ["/activity", "Activity", "viewer"],
  ["/runners", "Runners", "viewer"],
  ["/settings", "Settings", "viewer"],
  ["/doctor", "Doctor", "viewer"],
  ["/notifications", "Notifications", "viewer"],
  ["/projects/new", "Add project", "admin"],
  ["/users", "Users", "admin"],
] as const;

/** Without a project in the URL: pages that are not about one project. */
const GLOBAL = new Set(["/runners", "/projects/new", "/users", "/notifications"]);

/** "demo" stays "demo"; another demo project's name says what it is once. */
const projectLabel = (p: { name: string; isDemo: boolean }) => (p.isDemo && !/\bdemo\b/i.test(p.name) ? `${p.name} (demo)` : p.name);

/** Every page's content is its <main>; the skip link moves focus there (no id needed per page). */
function skipToMain(e: React.MouseEvent) {
  const main = document.querySelector("main");
  if (!main) return;
  e.preventDefault();
  if (!main.hasAttribute("tabindex")) main.setAttribute("tabindex", "-1");
  main.focus();
}

export function Nav({ projectId }: { projectId?: number }) {
  const trpc = useTRPC();
  const projects = useQuery(trpc.views.projects.queryOptions());
  const router = useRouter();
  const pathname = usePathname();
  const current = projects.data?.find((p) => p.id === projectId);
  const { me, can } = useMe();
  return (
    <header className="flex flex-wrap items-center gap-4 border-b bg-white px-4 py-2">
      {/* biome-ignore lint/a11y/useValidAnchor: a skip link is an in-page link; the handler moves focus to <main>, which carries no id. */}
      <a
        href="#main"
        onClick={skipToMain}
        className="sr-only rounded bg-slate-900 px-3 py-1 text-sm text-white focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:z-50"
      >
        Skip to content
      </a>
      <Link href={projectId ? `/?project=${projectId}` : "/"} className="text-lg font-semibold">
        Drover
      </Link>
      <select
        aria-label="Project"
        className="rounded border px-2 py-1 text-sm"
        value={projectId ?? ""}
        onChange={(e) =>
          router.push(
            `${pathname.startsWith("/stories") || pathname.startsWith("/sessions") || pathname.startsWith("/agents") ? "/" : pathname}?project=${e.target.value}`,
          )
        }
      >
        {projects.data?.map((p) => (
          <option key={p.id} value={p.id}>
            {projectLabel(p)}
          </option>
        ))}
      </select>
      {current?.isDemo && (
        <span className="rounded bg-violet-100 px-2 py-0.5 text-xs font-medium text-violet-800" data-testid="demo-badge">
          Demo project: agents are scripted, no API keys used
        </span>
      )}
      <nav className="flex gap-3 text-sm">
        {LINKS.filter(([, , role]) => can(role)).map(([href, label]) => (
          <Link
            key={href}
            href={projectId && !GLOBAL.has(href) ? `${href}?project=${projectId}` : href}
            className={pathname === href ? "font-semibold text-slate-900" : "text-slate-500 hover:text-slate-900"}
          >
            {label}
          </Link>
        ))}
      </nav>
      {me && <DesktopNotifications />}
      {me && (
        <div className="ml-auto flex items-center gap-3 text-sm">
          <Link href="/account" className="text-slate-600 hover:text-slate-900" data-testid="me">
            {me.name} <span className="rounded bg-slate-100 px-1.5 py-0.5 text-xs">{me.role}</span>
          </Link>
          <button type="button" onClick={() => void signOut()} className="text-slate-500 hover:text-slate-900">
            Sign out
          </button>
        </div>
      )}
    </header>
  );
}
