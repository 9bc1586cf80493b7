// Shown on every board of a project that opted out of the sandbox (`sandbox = false`): it cannot be
// dismissed, because every run of that project can read and change the whole host.
export function SandboxOffWarning() {
  return (
    <div role="alert" data-testid="sandbox-off-warning" className="mb-3 rounded border-2 border-red-600 bg-red-50 px-3 py-2 text-sm text-red-900">
      <strong>Sandbox off.</strong> This project sets <code>sandbox = false</code>: its agents, setup, gates and teardown run with the runner&apos;s full access
      to this host (every file, the network, Drover&apos;s data and other projects). Remove <code>sandbox = false</code> from <code>.drover/project.toml</code>{" "}
      to contain them.
    </div>
  );
}
