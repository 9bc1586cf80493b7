// What a broken roster means for the project, said truthfully: a last good config only exists if one ever parsed.
export function ConfigErrorWording({ hasGoodConfig }: { hasGoodConfig: boolean }) {
  return hasGoodConfig ? (
    <>The project&apos;s config has errors; the last good config stays in use.</>
  ) : (
    <>The project&apos;s config has errors and has never parsed, so no agents are configured: fix the file and reload.</>
  );
}
