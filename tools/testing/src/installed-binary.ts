import { existsSync } from 'node:fs';

/**
 * Where a program from the machine's packages is (on PATH, or in Debian's sbin), or undefined, so
 * a test that needs it is skipped; unless the variable `requiredBy` is `required` (as .ci/run sets
 * it), where a missing program fails the run instead.
 */
export function installedBinary(binary: string, requiredBy: string): string | undefined {
  for (const directory of [...(process.env.PATH ?? '').split(':'), '/usr/sbin', '/usr/bin']) {
    if (directory && existsSync(`${directory}/${binary}`)) return `${directory}/${binary}`;
  }
  if (process.env[requiredBy] === 'required') {
    throw new Error(`${binary} is not installed, and ${requiredBy}=required`);
  }
  return undefined;
}
