import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import type { ImportReport } from '@bazaar/contracts/shop-api';
import { readConfig } from '../config.js';

const usage = `usage: npm run csv -- export products|stock > FILE.csv
       npm run csv -- import products|stock FILE.csv [--dry-run]

Exports or imports the shop's products or stock as CSV (the back office's files), as an admin.
Talks to BAZAAR_URL, else to the local shop (npm start); signs in as BAZAAR_ADMIN_EMAIL with
BAZAAR_ADMIN_PASSWORD, else as the local shop's dev-only admin. An import with any bad cell
writes nothing and prints each by line and column (exit 1); --dry-run only checks.`;

const paths = {
  products: { export: '/api/admin/products/export', import: '/api/admin/products/import' },
  stock: { export: '/api/admin/inventory/export', import: '/api/admin/inventory/import' },
} as const;

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { 'dry-run': { type: 'boolean' }, help: { type: 'boolean' } },
});
const [command, what, file] = positionals;
const known = (name: string | undefined): name is keyof typeof paths =>
  name === 'products' || name === 'stock';
if (
  values.help ||
  !known(what) ||
  !((command === 'export' && !file) || (command === 'import' && file))
) {
  process.stderr.write(`${usage}\n`);
  process.exit(values.help ? 0 : 2);
}

try {
  const production = process.env.NODE_ENV === 'production';
  const email = process.env.BAZAAR_ADMIN_EMAIL ?? (production ? undefined : 'admin@bazaar.local');
  const password =
    process.env.BAZAAR_ADMIN_PASSWORD ?? (production ? undefined : 'bazaar-admin-dev');
  if (!email || !password) {
    throw new Error(
      'BAZAAR_ADMIN_EMAIL and BAZAAR_ADMIN_PASSWORD are needed with NODE_ENV=production',
    );
  }
  const base = process.env.BAZAAR_URL ?? `http://127.0.0.1:${readConfig().BAZAAR_PORT_BASE}`;
  const bearer = await signIn(base, email, password);
  if (command === 'export') {
    process.stdout.write(await call(base, 'GET', paths[what].export, { bearer }));
  } else {
    const dryRun = values['dry-run'] ?? false;
    const answer = await call(
      base,
      'POST',
      `${paths[what].import}${dryRun ? '?dryRun=true' : ''}`,
      {
        bearer,
        body: { type: 'text/csv', text: await readFile(file as string, 'utf8') },
        accepted: [200, 422],
      },
    );
    // A report (200), or the 422 problem whose errors name the column as `field`.
    const body = JSON.parse(answer) as Omit<ImportReport, 'errors'> & {
      code?: string;
      errors: Array<{ line: number; field?: string; column?: string; message: string }>;
    };
    for (const error of body.errors) {
      process.stderr.write(
        `line ${error.line}, ${error.column ?? error.field}: ${error.message}\n`,
      );
    }
    if (body.code === 'invalid_import' || body.errors.length > 0) {
      process.stderr.write(`${body.errors.length} problem(s); nothing was written\n`);
      process.exit(1);
    }
    process.stdout.write(
      `${body.rows} rows: ${body.created} new, ${body.updated} changed, ${body.unchanged} unchanged; ${dryRun ? 'checked, nothing written' : 'imported'}\n`,
    );
  }
} catch (error) {
  process.stderr.write(`csv: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}

async function signIn(base: string, email: string, password: string): Promise<string> {
  const answer = await call(base, 'POST', '/api/auth/login', {
    body: { type: 'application/json', text: JSON.stringify({ email, password }) },
  });
  return (JSON.parse(answer) as { accessToken: string }).accessToken;
}

/** The body of the answer; any status but `accepted` is an error naming the problem's detail. */
async function call(
  base: string,
  method: 'GET' | 'POST',
  path: string,
  options: { bearer?: string; body?: { type: string; text: string }; accepted?: number[] } = {},
): Promise<string> {
  const { bearer, body, accepted = [200] } = options;
  const response = await fetch(new URL(path, base), {
    method,
    headers: {
      ...(bearer && { authorization: `Bearer ${bearer}` }),
      ...(body && { 'content-type': body.type }),
    },
    ...(body && { body: body.text }),
  }).catch((error: Error) => {
    throw new Error(
      `${base} did not answer (${error.cause ?? error.message}); is the shop running?`,
    );
  });
  const text = await response.text();
  if (!accepted.includes(response.status)) {
    let detail = text.slice(0, 200);
    try {
      detail = (JSON.parse(text) as { detail?: string }).detail ?? detail;
    } catch {}
    throw new Error(`${method} ${path}: ${response.status} ${detail}`);
  }
  return text;
}
