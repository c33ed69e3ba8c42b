import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, expect, test } from 'vitest';

/**
 * The Ansible of deploy/ansible (an environment's first day, and its admin host) linted and
 * syntax-checked with Debian's `ansible` and `ansible-lint` (`.ci/run` installs them and sets
 * BAZAAR_ANSIBLE=required). The container suite runs the admin host's role for real.
 */
const installed = ['ansible-playbook', 'ansible-lint'].every((tool) =>
  ['/usr/bin', '/usr/local/bin'].some((directory) => existsSync(`${directory}/${tool}`)),
);
if (!installed && process.env.BAZAAR_ANSIBLE === 'required') {
  throw new Error('BAZAAR_ANSIBLE=required but ansible-playbook or ansible-lint is not installed');
}
const ansible = new URL('../../../deploy/ansible/', import.meta.url).pathname;
/** What a tool printed, to either stream (ansible-lint's summary goes to stderr), and whether it passed. */
const run = (tool: string, args: string[], cwd = ansible) => {
  const result = spawnSync(tool, args, {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
  });
  return { ok: result.status === 0, output: `${result.stdout}${result.stderr}` };
};

describe.skipIf(!installed)('the Ansible playbooks', () => {
  test('pass ansible-lint at its production profile', () => {
    const result = run('ansible-lint', []);
    expect(result.output).toContain('Passed with production profile');
    expect(result.ok).toBe(true);
  });

  test.for(['bootstrap.yml', 'admin-host.yml'])(
    '%s passes ansible-playbook --syntax-check',
    (playbook) => {
      // Syntax only: the AWS inventory is left out (it needs boto3 and credentials).
      const result = run('ansible-playbook', [
        '--syntax-check',
        '-i',
        'localhost,',
        playbook,
        '-e',
        'environment_name=dev',
      ]);
      expect(result.output).toContain(`playbook: ${playbook}`);
      expect(result.ok).toBe(true);
    },
  );

  test('a playbook with a short module name, a command that never says it changed nothing, a pipe without pipefail and a file without a mode fails the lint', () => {
    const broken = new URL('fixtures/ansible-broken/', import.meta.url).pathname;
    const result = run(
      'ansible-lint',
      ['--offline', '--profile', 'production', '-p', 'playbook.yml'],
      broken,
    );
    expect(result.ok).toBe(false);
    const rules = [...result.output.matchAll(/^playbook\.yml:\d+: ([\w[\]-]+):/gm)].map(
      ([, rule]) => rule,
    );
    expect(rules).toEqual([
      'fqcn[action-core]',
      'no-changed-when',
      'risky-shell-pipe',
      'risky-file-permissions',
    ]);
  });
});
