import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { waitFor } from '@bazaar/testing/until';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { docker, dockerEngine } from '../src/docker.js';
import { buildSuiteImage, root, suiteImages } from '../src/images.js';

/**
 * The admin host's Ansible (deploy/ansible/admin-host.yml) run for real, over Ansible's docker
 * connection, against a Debian 12 container with systemd as PID 1 that stands in for the AMI. Only
 * the SSM agent's check is skipped (tag `aws`): the agent comes from an AWS bucket no test reaches.
 */
const engine = dockerEngine();
let host = '';
let scratch = '';

/** ansible-playbook of admin-host.yml against the container; its output, and the recap's counts. */
function playbook(): Promise<{ code: number | null; output: string; changed: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      'ansible-playbook',
      ['-i', join(scratch, 'inventory'), 'admin-host.yml', '--skip-tags', 'aws'],
      { cwd: `${root}deploy/ansible`, env: { ...process.env, ANSIBLE_NOCOLOR: '1' } },
    );
    let output = '';
    child.stdout.on('data', (chunk) => {
      output += chunk;
    });
    child.stderr.on('data', (chunk) => {
      output += chunk;
    });
    child.on('error', reject);
    child.on('close', (code) =>
      resolve({ code, output, changed: Number(/ changed=(\d+)/.exec(output)?.[1] ?? Number.NaN) }),
    );
  });
}

/** The TCP ports something listens on in the container (from /proc: the image has no `ss`). */
async function listening(): Promise<number[]> {
  const table = await docker('exec', host, 'cat', '/proc/net/tcp', '/proc/net/tcp6');
  return [
    ...new Set(
      table
        .split('\n')
        .map((line) => line.trim().split(/\s+/))
        .filter((fields) => fields[3] === '0A')
        .map((fields) => Number.parseInt(fields[1]?.split(':').at(-1) ?? '', 16)),
    ),
  ].sort((a, b) => a - b);
}

describe.skipIf(!engine)('the admin host, configured by Ansible', () => {
  beforeAll(async () => {
    await buildSuiteImage('adminHost');
    host = await docker(
      'run',
      '-d',
      '--tmpfs',
      '/run',
      '--tmpfs',
      '/run/lock',
      '-v',
      '/sys/fs/cgroup:/sys/fs/cgroup:ro',
      suiteImages.adminHost.tag,
    );
    await waitFor(
      () => docker('exec', host, 'systemctl', 'is-system-running').catch((error) => String(error)),
      (state) => /^(running|degraded)/.test(state),
      { timeoutMs: 60_000 },
    );
    scratch = await mkdtemp(join(tmpdir(), 'bazaar-ansible-'));
    await writeFile(
      join(scratch, 'inventory'),
      `[admin_host]\n${host} ansible_connection=community.docker.docker admin_host_environment=test\n`,
    );
  }, 300_000);

  afterAll(async () => {
    if (host) await docker('rm', '-f', host);
    if (scratch) await rm(scratch, { recursive: true, force: true });
  });

  test('the playbook leaves nothing listening, security updates applied daily with a reboot at 04:00, a lasting journal; run again, it changes nothing', async ({
    annotate,
  }) => {
    const before = await listening();
    const first = await playbook();
    expect(first.code, first.output).toBe(0);
    const second = await playbook();
    expect(second.code, second.output).toBe(0);
    await annotate(
      `listening before: ${JSON.stringify(before)}, after: ${JSON.stringify(await listening())}; changed ${first.changed} on the first run, ${second.changed} on the second`,
    );

    // The AMI's SSH server listened; nothing does now.
    expect(before).toContain(22);
    expect(await listening()).toEqual([]);
    // Purged: dpkg knows it no more, or as not installed.
    const sshServer = await docker(
      'exec',
      host,
      'dpkg-query',
      '-W',
      '-f',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: dpkg-query's format, not JavaScript's
      '${db:Status-Status}',
      'openssh-server',
    ).catch(() => 'not-installed');
    expect(sshServer).toBe('not-installed');
    expect(await docker('exec', host, 'systemctl', 'is-enabled', 'apt-daily-upgrade.timer')).toBe(
      'enabled',
    );
    const apt = await docker('exec', host, 'apt-config', 'dump');
    expect(apt).toContain('APT::Periodic::Unattended-Upgrade "1";');
    expect(apt).toContain('Unattended-Upgrade::Automatic-Reboot-Time "04:00";');
    expect(apt).toMatch(/Origins-Pattern:: "origin=Debian,codename=\$\{distro_codename\}-security/);
    // journald restarted with persistent storage: its directory exists now.
    await docker('exec', host, 'test', '-d', '/var/log/journal');
    expect(await docker('exec', host, 'cat', '/etc/motd')).toContain('bazaar-test admin host');

    expect(first.changed).toBeGreaterThan(0);
    expect(second.changed).toBe(0);
  }, 300_000);
});
