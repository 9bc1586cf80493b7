// A gate's argv: a string is split like a shell would split words, but never run through one.
import { parseArgsStringToArgv } from "string-argv";

export type GateSpec = string | string[];

export function gateArgv(spec: GateSpec): string[] {
  return Array.isArray(spec) ? spec : parseArgsStringToArgv(spec);
}
