import { docker } from './docker.js';

/** The repository's directory, with a trailing slash. */
export const root = new URL('../../../', import.meta.url).pathname;

/**
 * The images the container suite builds, from files of the repository: the shop's own image from
 * its Dockerfile as a user builds it and the PgBouncer in front of its database, the network-fault
 * helper, and the admin host's stand-in.
 */
export const suiteImages = {
  shop: { tag: 'bazaar:local', dockerfile: 'deploy/docker/Dockerfile', context: '' },
  pgbouncer: {
    tag: 'bazaar-pgbouncer:local',
    dockerfile: 'deploy/docker/pgbouncer.Dockerfile',
    context: 'deploy/docker',
  },
  netfaults: {
    tag: 'bazaar-netfaults:test',
    dockerfile: 'tools/containers/netfaults/Dockerfile',
    context: 'tools/containers/netfaults',
  },
  adminHost: {
    tag: 'bazaar-test/admin-host',
    dockerfile: 'tools/containers/images/admin-host.Dockerfile',
    context: 'tools/containers/images',
  },
} as const;

const builds = new Map<keyof typeof suiteImages, Promise<number>>();

/** Builds one of the suite's images (once a process: each caller waits for the same build); the seconds it took. */
export function buildSuiteImage(name: keyof typeof suiteImages): Promise<number> {
  let build = builds.get(name);
  if (!build) {
    const { tag, dockerfile, context } = suiteImages[name];
    const started = Date.now();
    build = docker(
      'build',
      '--network=host',
      '-f',
      `${root}${dockerfile}`,
      '-t',
      tag,
      `${root}${context}`,
    ).then(() => (Date.now() - started) / 1000);
    builds.set(name, build);
  }
  return build;
}
