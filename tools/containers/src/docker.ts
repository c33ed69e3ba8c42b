import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * Whether a Docker engine answers here. Without one the container tests are skipped, unless
 * BAZAAR_CONTAINER_TESTS=required (as .ci/run sets it), which makes that a failure.
 */
export function dockerEngine(): boolean {
  try {
    execFileSync('docker', ['info', '--format', '{{.ServerVersion}}'], { stdio: 'pipe' });
    return true;
  } catch {
    if (process.env.BAZAAR_CONTAINER_TESTS === 'required') {
      throw new Error('BAZAAR_CONTAINER_TESTS=required but no Docker engine answers `docker info`');
    }
    return false;
  }
}

/** Runs `docker …`; its standard output, trimmed. */
export async function docker(...args: string[]): Promise<string> {
  const { stdout } = await run('docker', args, { maxBuffer: 64 * 2 ** 20 });
  return stdout.trim();
}

/** `docker compose` (the v2 plugin) where there is one, else Debian's `docker-compose` (1.29). */
function composeCommand(): string[] {
  try {
    execFileSync('docker', ['compose', 'version'], { stdio: 'pipe' });
    return ['docker', 'compose'];
  } catch {
    return ['docker-compose'];
  }
}

export type ComposeProject = {
  name: string;
  /** `compose …` for this project and its files, with `env` added to the environment. */
  run: (...args: string[]) => Promise<string>;
  /** The container of a service (its first replica). */
  container: (service: string) => Promise<string>;
  /** The containers of a service, one a replica. */
  containers: (service: string) => Promise<string[]>;
  /** A service's address (its first replica's) on one of the project's networks (`default` unless named). */
  addressOf: (service: string, network?: string) => Promise<string>;
  /** One container's address on one of the project's networks (`default` unless named). */
  addressOfContainer: (id: string, network?: string) => Promise<string>;
  /** Every address of a service's container, one on each of its networks: its name resolves to any. */
  addressesOf: (service: string) => Promise<string[]>;
  /**
   * Cuts a service's container off one of the project's networks (all of them when none is
   * named) until the returned function joins it again, under its service name: a container
   * joined without its alias cannot be found by that name.
   */
  partition: (service: string, network?: string) => Promise<() => Promise<void>>;
};

export function composeProject(options: {
  name: string;
  files: readonly string[];
  cwd: string;
  env: Readonly<Record<string, string>>;
}): ComposeProject {
  const [command = 'docker-compose', ...prefix] = composeCommand();
  const files = options.files.flatMap((file) => ['-f', file]);
  const compose = async (...args: string[]) => {
    const { stdout } = await run(command, [...prefix, '-p', options.name, ...files, ...args], {
      cwd: options.cwd,
      env: { ...process.env, ...options.env },
      maxBuffer: 64 * 2 ** 20,
    });
    return stdout.trim();
  };
  const containers = async (service: string) =>
    (await compose('ps', '-q', service)).split('\n').filter(Boolean);
  const container = async (service: string) => {
    const [id] = await containers(service);
    if (!id) throw new Error(`no container for ${service}`);
    return id;
  };
  // Both Compose v1 and v2 name a project's networks `<project>_<network>`.
  const networkName = (network: string) => `${options.name}_${network}`;
  const addressOfContainer = (id: string, network = 'default') =>
    docker(
      'inspect',
      '--format',
      `{{(index .NetworkSettings.Networks "${networkName(network)}").IPAddress}}`,
      id,
    );
  return {
    name: options.name,
    run: compose,
    container,
    containers,
    addressOf: async (service, network) => addressOfContainer(await container(service), network),
    addressOfContainer,
    addressesOf: async (service) =>
      (
        await docker(
          'inspect',
          '--format',
          '{{range .NetworkSettings.Networks}}{{.IPAddress}} {{end}}',
          await container(service),
        )
      )
        .split(' ')
        .filter(Boolean),
    partition: async (service, network) => {
      const id = await container(service);
      const networks = network
        ? [networkName(network)]
        : (
            await docker(
              'inspect',
              '--format',
              '{{range $name, $_ := .NetworkSettings.Networks}}{{$name}} {{end}}',
              id,
            )
          ).split(' ');
      for (const name of networks) await docker('network', 'disconnect', name, id);
      return async () => {
        for (const name of networks) {
          await docker('network', 'connect', '--alias', service, name, id);
        }
      };
    },
  };
}
