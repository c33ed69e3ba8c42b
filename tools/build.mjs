// @ts-check
// Bundles each service and the launcher into one ESM file: the workspace packages are inlined,
// npm dependencies stay external (installed by `npm ci`), so a process loads one file of our code.
import { readdirSync } from 'node:fs';
import { build } from 'esbuild';

const root = new URL('..', import.meta.url);
const services = readdirSync(new URL('services/', root));
const entries = [...services.map((name) => `services/${name}`), 'tools/launcher'];

/** @type {import('esbuild').Plugin} */
const externalDependencies = {
  name: 'external-dependencies',
  setup(build) {
    build.onResolve({ filter: /^[^./]/ }, (args) =>
      args.path.startsWith('@bazaar/') ? undefined : { path: args.path, external: true },
    );
  },
};

const started = performance.now();
await Promise.all(
  entries.map((entry) =>
    build({
      absWorkingDir: root.pathname,
      entryPoints: [`${entry}/src/main.ts`],
      outfile: `${entry}/dist/main.js`,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      sourcemap: 'linked',
      logLevel: 'warning',
      plugins: [externalDependencies],
    }),
  ),
);
process.stdout.write(
  `built ${entries.length} bundles in ${Math.round(performance.now() - started)} ms\n`,
);
