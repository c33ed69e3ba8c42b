// @ts-check
// Bundles each service and the launcher into one ESM file (the workspace packages inlined, npm
// dependencies external, installed by `npm ci`, but for `bundled`), so a process loads one file
// of our code (what it imports only when needed waits in `dist/chunks/`); then builds the
// storefront with Vite.
import { existsSync, readdirSync } from 'node:fs';
import { build } from 'esbuild';
import { build as buildStorefront } from 'vite';

const root = new URL('..', import.meta.url);
const services = readdirSync(new URL('services/', root));
const entries = [
  ...services.map((name) => `services/${name}`),
  'tools/launcher',
  'tools/bench',
  'tools/smoke',
];
/** `src/main.ts` of each, and the one-off commands of `src/commands/` (run by operators). */
const entryPointsOf = (entry) => {
  const commands = new URL(`${entry}/src/commands/`, root);
  const names = existsSync(commands)
    ? readdirSync(commands).filter((name) => name.endsWith('.ts'))
    : [];
  return [`${entry}/src/main.ts`, ...names.map((name) => `${entry}/src/commands/${name}`)];
};

/**
 * Dependencies bundled with what imports them (with everything they import), installed only to
 * build: the S3 SDK is 22 MB of node_modules and 1.4 MB in a bundle.
 */
const bundled = ['@aws-sdk/client-s3'];

/** @type {import('esbuild').Plugin} */
const externalDependencies = {
  name: 'external-dependencies',
  setup(build) {
    build.onResolve({ filter: /^[^./]/ }, (args) =>
      args.path.startsWith('@bazaar/') ||
      bundled.includes(args.path) ||
      args.importer.includes('/node_modules/')
        ? undefined
        : { path: args.path, external: true },
    );
  },
};

/** Where each bundle comes from; the tracing preload is `--import`ed before every service. */
const bundles = [
  ...entries.flatMap((entry) =>
    entryPointsOf(entry).map((point) => ({ entryPoints: [point], base: entry })),
  ),
  { entryPoints: ['packages/service-kit/src/tracing.ts'], base: 'packages/service-kit' },
];

const started = performance.now();
await Promise.all(
  bundles.map(({ entryPoints, base }) =>
    build({
      absWorkingDir: root.pathname,
      entryPoints,
      outbase: `${base}/src`,
      outdir: `${base}/dist`,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      // What a dynamic import brings (the S3 SDK) is a file of its own, read only when it is
      // imported: Node keeps a loaded file's source and source map in memory, 1.4 MB and 1 MB of
      // catalog's idle heap for a directory of images. One entry a build, so that only a dynamic
      // import makes a chunk: code a service and its commands share stays in each file, where its
      // `import.meta.url` paths were written for.
      splitting: true,
      // A chunk of CommonJS exports only its `default`: the SDK's ES modules keep their names.
      mainFields: ['module', 'main'],
      chunkNames: 'chunks/[name]-[hash]',
      // Stack traces need the positions, not our sources again.
      sourcemap: 'linked',
      sourcesContent: false,
      logLevel: 'warning',
      plugins: [externalDependencies],
    }),
  ),
);
process.stdout.write(
  `built ${bundles.length} bundles in ${Math.round(performance.now() - started)} ms\n`,
);

// The storefront, which the gateway serves at `/`; Vite prints the gzipped sizes. Always the
// production build (React's, and the one the bundle budget is for), also when the tests run this
// with NODE_ENV=test, which Vite would otherwise follow.
process.env.NODE_ENV = 'production';
await buildStorefront({ configFile: new URL('web/storefront/vite.config.ts', root).pathname });
