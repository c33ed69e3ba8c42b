import { execFile } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import { afterEach, expect, test } from 'vitest';

/**
 * The release's wait for Argo CD, against a stand-in for Argo CD's API (GET
 * /api/v1/applications/:name with a bearer token) whose application goes from out of sync to
 * running the new image, as Argo CD's does after the release's commit.
 */
const run = promisify(execFile);
const script = new URL('../scripts/wait-for-argocd.sh', import.meta.url).pathname;
const next = '000000000000.dkr.ecr.eu-west-1.amazonaws.com/bazaar@sha256:1111';
const previous = '000000000000.dkr.ecr.eu-west-1.amazonaws.com/bazaar@sha256:0000';
let server: Server | undefined;

afterEach(() => server?.close());

/** Argo CD's answers, one a request, the last repeated. */
async function argocd(states: Array<[sync: string, health: string, image: string]>) {
  let asked = 0;
  const fake = createServer((request, response) => {
    if (
      request.headers.authorization !== 'Bearer token' ||
      request.url !== '/api/v1/applications/bazaar'
    ) {
      response.writeHead(request.headers.authorization ? 403 : 401).end();
      return;
    }
    const [sync, health, image] = states[Math.min(asked++, states.length - 1)] ?? [];
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(
      JSON.stringify({
        status: {
          sync: { status: sync },
          health: { status: health },
          summary: { images: [image] },
        },
      }),
    );
  });
  server = fake;
  await new Promise<void>((resolve) => fake.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(fake.address() as AddressInfo).port}`;
}

const wait = (url: string, token = 'token') =>
  run('bash', [script], {
    env: {
      ...process.env,
      ARGOCD_SERVER: url,
      ARGOCD_AUTH_TOKEN: token,
      IMAGE: next,
      POLL_SECONDS: '0.05',
      TIMEOUT_SECONDS: '2',
    },
  }).then(
    ({ stdout }) => ({ code: 0, stdout, stderr: '' }),
    (failure: { code: number; stdout: string; stderr: string }) => failure,
  );

test('it returns once Argo CD runs the new image, synced and healthy', async () => {
  const url = await argocd([
    ['OutOfSync', 'Healthy', previous],
    ['Synced', 'Progressing', next],
    ['Synced', 'Healthy', next],
  ]);
  expect(await wait(url)).toMatchObject({
    code: 0,
    stdout: `argocd: bazaar runs ${next}, Synced and Healthy\n`,
  });
});

test('a healthy application still on the old image, or a token Argo CD refuses, fails it when the time is up', async () => {
  const url = await argocd([['Synced', 'Healthy', previous]]);
  expect(await wait(url)).toMatchObject({
    code: 1,
    stderr: `argocd: bazaar does not run ${next} after 2 s (last: Synced Healthy)\n`,
  });
  const refused = await wait(url, 'stolen');
  expect(refused.code).toBe(1);
  // curl says why each time; the last line says what it waited for.
  expect(refused.stderr).toContain('returned error: 403');
  expect(
    refused.stderr.endsWith(`argocd: bazaar does not run ${next} after 2 s (last: no answer)\n`),
  ).toBe(true);
});

test('a rollout rolled back by its analysis (Degraded on the new image) fails it at once', async () => {
  const url = await argocd([
    ['Synced', 'Progressing', next],
    ['Synced', 'Degraded', next],
  ]);
  const failed = await wait(url);
  expect(failed).toMatchObject({ code: 1 });
  expect(failed.stderr).toContain(
    `argocd: bazaar is Degraded on ${next}: a rollout's analysis failed`,
  );
});
