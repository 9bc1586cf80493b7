// A roster env value "secret:<name>" refers to a project secret kept (encrypted) by Drover instead
// of a literal value in the repository. Names: letters, digits, ".", "_", "-".
import type { AgentConfig } from "./types.ts";

export const SECRET_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
export const SECRET_NAME_RULE = "1-64 letters, digits, '.', '_' or '-', starting with a letter or digit";
const PREFIX = "secret:";

/** The secret an env value refers to, or undefined for a literal value. */
export function secretRefName(value: string): string | undefined {
  return value.startsWith(PREFIX) ? value.slice(PREFIX.length) : undefined;
}

export interface SecretRef {
  agent: string;
  index: number;
  key: string;
  secret: string;
}

/** Every secret reference in the roster's env tables. */
export function secretRefs(agents: readonly Pick<AgentConfig, "name" | "env">[]): SecretRef[] {
  return agents.flatMap((a, index) =>
    Object.entries(a.env ?? {}).flatMap(([key, value]) => {
      const secret = secretRefName(value);
      return secret === undefined ? [] : [{ agent: a.name, index, key, secret }];
    }),
  );
}

/** "file:line" of the first line that holds the reference (the key on it too, when one does). */
function whereIs(files: readonly { file: string; text: string }[], ref: SecretRef): string {
  for (const pass of [true, false]) {
    for (const f of files) {
      const i = f.text.split("\n").findIndex((l) => l.includes(`${PREFIX}${ref.secret}`) && (!pass || l.includes(ref.key)));
      if (i >= 0) return `${f.file}:${i + 1}`;
    }
  }
  return files[0]?.file ?? "roster";
}

/**
 * Problems for references to secrets the project does not have (or with a bad name), each with the
 * file, line and key, saying how to fix it. `files`: the roster's files and their text.
 */
export function secretRefProblems(
  files: readonly { file: string; text: string }[],
  agents: readonly Pick<AgentConfig, "name" | "env">[],
  known: ReadonlySet<string>,
): string[] {
  return secretRefs(agents).flatMap((ref) => {
    const where = `${whereIs(files, ref)}: agent[${ref.index}] (${ref.agent}).env.${ref.key}`;
    if (!SECRET_NAME.test(ref.secret)) return [`${where}: "secret:${ref.secret}" is not a valid secret name (${SECRET_NAME_RULE})`];
    if (known.has(ref.secret)) return [];
    return [
      `${where}: unknown secret "${ref.secret}"; store it with \`drover secret set <project> ${ref.secret}\` (or on the project's Secrets page) and reload`,
    ];
  });
}
