// `drover doctor` (and the project's Doctor view): each check OK, or what to do. A check marked
// `fail` is something an agent needs (the command exits non-zero); `warn` works but deserves a look.
import { CLAUDE_PACKAGE } from "../runtimes/claude/adapter.ts";
import { CODEX_PACKAGE } from "../runtimes/codex/adapter.ts";
import { GEMINI_PACKAGE } from "../runtimes/gemini/adapter.ts";
import { canRun, rosterCredentialSources, secretDecrypter } from "../runtimes/capabilities.ts";
import { credentialsOf } from "../runtimes/credentials.ts";
import { hiddenPathAdvice, INSTALL_SANDBOX_TOOLS } from "../runtimes/sandbox-advice.ts";
import type { DoctorFacts, Executable } from "./facts.ts";

export interface DoctorLine {
  status: "ok" | "warn" | "fail";
  check: string;
  text: string;
}

export interface DoctorReport {
  lines: DoctorLine[];
  /** Something an agent needs is missing. */
  failed: boolean;
}

const PACKAGES: Record<string, string> = { "claude-code": CLAUDE_PACKAGE, codex: CODEX_PACKAGE, gemini: GEMINI_PACKAGE };
const LOGIN: Record<string, string> = { "claude-code": "`claude login`", codex: "`codex login`", gemini: "`gemini` (Login with Google)" };

export function doctorReport(f: DoctorFacts): DoctorReport {
  const lines: DoctorLine[] = [];
  const ok = (check: string, text: string) => lines.push({ status: "ok", check, text });
  const warn = (check: string, text: string) => lines.push({ status: "warn", check, text });
  const fail = (check: string, text: string) => lines.push({ status: "fail", check, text });
  const r = f.repo;

  if (!r.gitVersion) fail("git", "git is not on PATH: install git (apt-get install git)");
  else ok("git", r.gitVersion);
  if (r.gitVersion) {
    if (!r.repo.ok) fail("repository", r.repo.error);
    else ok("repository", r.repo.root);
  }
  if (r.repo.ok) {
    const root = r.repo.root;
    const id = r.identity;
    // Agents run with their own HOME (your ~/.gitconfig does not reach them); the runner gives each run an identity naming it.
    if (id?.name && id.email) ok("git identity", `agents commit as ${id.name} <${id.email}>`);
    else
      warn(
        "git identity",
        `user.name or user.email not set in the repository: agents commit as "<agent> (Drover)" <agent@drover.invalid>; to commit as you, run git -C ${root} config user.name "Your Name" && git -C ${root} config user.email you@example.com`,
      );
    if (!r.baseBranch) fail("base branch", `HEAD is detached in ${root}: check out a branch, or set base_branch in .drover/project.toml`);
    else if (!r.baseBranch.exists) fail("base branch", `${r.baseBranch.name} does not exist yet: commit on it first (agents branch from it)`);
    else ok("base branch", r.baseBranch.name);
  }

  if (!f.roster.ok) fail("roster", `${f.roster.error} (fix it; the last good roster keeps running meanwhile)`);
  else if (!f.roster.file) fail("roster", "no .drover/project.toml: write a starting one with `drover init <path> --runtime claude-code|codex|gemini|command`");
  else if (!f.roster.agents.length) fail("roster", `${f.roster.file} has no [[agent]]: add a coder, a QA agent and a mergemaster`);
  else ok("roster", `${f.roster.file}: ${f.roster.agents.length} agent${f.roster.agents.length === 1 ? "" : "s"}`);

  if (f.roster.ok) {
    const commands = new Map(r.commands.map((c) => [c.command, c]));
    for (const a of f.roster.agents) {
      const check = `agent ${a.name} (${a.runtime})`;
      if (!credentialsOf(a.runtime)) {
        const cmd = commands.get(a.command?.[0] ?? "");
        if (!cmd) warn(check, "its command was not checked");
        else if (cmd.ok) ok(check, `${cmd.command} found`);
        else fail(check, executableProblem(cmd));
        const hidden = f.roster.sandbox === false ? [] : (f.hiddenCommandPaths?.[a.name] ?? []);
        if (hidden.length) warn(`agent ${a.name} command`, hiddenPathAdvice("its command", hidden));
        continue;
      }
      runtimeLine(f, a, check, { ok, fail });
    }
  }

  if (f.roster.ok && f.roster.agents.length) {
    if (f.roster.sandbox === false)
      warn("sandbox", "off (sandbox = false): agents, setup and gates run with the runner's full access to this host; remove the line to contain them");
    else if (f.sandboxMissing?.length)
      fail(
        "sandbox",
        `${f.sandboxMissing.join(", ")} missing on this host, and agents run in a sandbox: install them (${INSTALL_SANDBOX_TOOLS}), or set sandbox = false in .drover/project.toml`,
      );
    else if (f.sandboxMissing) ok("sandbox", "bubblewrap, socat, tcpdump and ip found: agents run contained");
  }

  if (r.repo.ok) {
    if (!r.gates.length) warn("gates", 'no gates: stories move on without a check; add gates = ["npm test"] (or your test command) to .drover/project.toml');
    for (const g of r.gates) {
      if (g.ok) ok(`gate ${g.command}`, "found and executable");
      else fail(`gate ${g.command}`, executableProblem(g));
    }
    if (r.worktreeRoot) {
      if (r.worktreeRoot.writable) ok("worktree root", `${r.worktreeRoot.path} is writable`);
      else fail("worktree root", `${r.worktreeRoot.path} is not writable by this user: fix its permissions or set worktree_root`);
    }
  }

  if (!f.database.ok) fail("database", f.database.error ?? "unreachable");
  else if (f.database.pendingMigrations?.length)
    fail(
      "database",
      `reachable, but ${f.database.pendingMigrations.length} migration(s) not applied (${f.database.pendingMigrations.join(", ")}): start Drover once (\`pnpm start\`) to apply them`,
    );
  else ok("database", "reachable and migrated");
  if (f.database.ok) {
    if (f.project) ok("project", `added to Drover as ${f.project.name} (#${f.project.id})`);
    else warn("project", 'not added to Drover yet: add it from the board ("Add project") with this path');
  }
  return { lines, failed: lines.some((l) => l.status === "fail") };
}

function runtimeLine(
  f: DoctorFacts,
  a: { runtime: string; env?: Record<string, string> },
  check: string,
  say: { ok: (c: string, t: string) => void; fail: (c: string, t: string) => void },
): void {
  const decl = credentialsOf(a.runtime)!;
  if (!f.hosts.length) {
    say.fail(check, "no runner is running to run it: start Drover (`pnpm start`) or `drover runner`");
    return;
  }
  const problems: string[] = [];
  for (const h of f.hosts) {
    const v = canRun(h.capabilities, a, secretDecrypter(h.secretKeyId, f.secretKeyIds));
    const c = h.capabilities?.[a.runtime];
    if (v.ok) {
      say.ok(check, `${decl.cli} ${c?.version ?? "(version unknown)"} on ${h.name}, credential: ${v.credential ?? "not reported"}`);
      return;
    }
    problems.push(
      v.problem === "cli_missing"
        ? `${decl.cli} CLI missing on ${h.name}: npm install -g ${PACKAGES[a.runtime]}`
        : `no credential on ${h.name}: export ${decl.credentialEnv.join(" or ")} for the runner, log in with ${LOGIN[a.runtime]} (~/${decl.loginFiles.join(", ~/")}), or name a Drover secret in the roster's env`,
    );
  }
  const secrets = rosterCredentialSources(a).filter((s) => s.startsWith("secret "));
  if (secrets.length)
    problems.push(
      `the roster's ${secrets.join(", ")} cannot be decrypted there: set it with \`drover secret set\`, and give runners the key it was stored with (DROVER_SECRET_KEY)`,
    );
  say.fail(check, problems.join("; "));
}

function executableProblem(e: Executable): string {
  return e.problem === "not_executable"
    ? `${e.command}: not executable: chmod +x it (and commit the mode: git update-index --chmod=+x)`
    : `${e.command}: not found (neither a file in the repository nor a command on PATH)`;
}
