import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { installedBinary } from '@bazaar/testing/installed-binary';
import { afterAll, beforeAll, expect, test } from 'vitest';

/**
 * No secret in git: Debian's git-secrets with its AWS patterns, private keys (PEM) and live
 * payment keys, over every commit and every tracked file. Its configuration goes to a home of its own, so
 * the developer's git config is left alone.
 */
const gitSecrets = installedBinary('git-secrets', 'BAZAAR_SECURITY_TOOLS');
const root = new URL('../../../', import.meta.url).pathname;
let home: string;
// Written in two parts, so that this file does not hold the very text it scans for.
const privateKey = ['PRIVATE', 'KEY'].join(' ');
// git-secrets splits a pattern at spaces, so the one between the words is written as a class.
const privateKeyPattern = 'PRIVATE[[:space:]]KEY';
const run = promisify(execFile);
const git = (cwd: string, ...args: string[]) =>
  run('git', args, { cwd, env: { ...process.env, HOME: home }, maxBuffer: 16 * 2 ** 20 });

beforeAll(async () => {
  if (!gitSecrets) return;
  home = mkdtempSync(join(tmpdir(), 'bazaar-git-secrets-'));
  await git(root, 'secrets', '--register-aws', '--global');
  await git(root, 'secrets', '--add', '--global', privateKeyPattern);
  await git(root, 'secrets', '--add', '--global', 'sk_live_[0-9a-zA-Z]{16,}');
});

afterAll(() => {
  if (home) rmSync(home, { recursive: true, force: true });
});

test.skipIf(!gitSecrets)(
  'the repository, every commit and the working tree, holds no secret',
  async () => {
    await expect(git(root, 'secrets', '--scan-history')).resolves.toBeDefined();
    await expect(git(root, 'secrets', '--scan')).resolves.toBeDefined();
  },
);

test.skipIf(!gitSecrets)(
  'the same scan catches an AWS key, a private key and a live payment key',
  async () => {
    const planted = mkdtempSync(join(tmpdir(), 'bazaar-planted-'));
    try {
      await git(planted, 'init', '-q');
      // Put together at run time, so that this file does not hold what it plants.
      const samples: Array<[string, string]> = [
        ['aws.env', `AWS_ACCESS_KEY_ID=${'AKIA'}4QWERTYUIOPASDFG\n`],
        [
          'key.pem',
          `-----BEGIN RSA ${privateKey}-----\nMIIBOgIBAAJBAK\n-----END RSA ${privateKey}-----\n`,
        ],
        ['pay.ts', `const key = '${'sk_live'}_51Hx0aBcDeFgHiJkLmNoPqRs';\n`],
      ];
      for (const [file, text] of samples) {
        writeFileSync(join(planted, file), text);
        await expect(git(planted, 'secrets', '--scan', file), file).rejects.toThrow();
      }
    } finally {
      rmSync(planted, { recursive: true, force: true });
    }
  },
);
