import pg from 'pg';

/** The URL of database `name` on the server that `serverUrl` points at. */
export function databaseUrl(serverUrl: string, name: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/** Creates database `name` on the server unless it exists already. */
export async function ensureDatabase(serverUrl: string, name: string): Promise<void> {
  await withAdminClient(serverUrl, async (client) => {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (rowCount === 0) await client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`);
  });
}

/**
 * Makes the login role of `serviceUrl` (a service's own DATABASE_URL) with that URL's password,
 * and lets it use that URL's database only: connect, and read and write the tables and sequences
 * the migrations (run as the server's owner role, `serverUrl`) made there, now and later. It can
 * change no schema and connect to no other service's database. Run again, it sets the password
 * anew, so rotating it is writing a new URL and migrating.
 */
export async function ensureServiceRole(serverUrl: string, serviceUrl: string): Promise<void> {
  const url = new URL(serviceUrl);
  const [role, password, database] = [url.username, url.password, url.pathname.slice(1)].map(
    decodeURIComponent,
  ) as [string, string, string];
  await withAdminClient(serverUrl, async (client) => {
    const name = await ensureLoginRole(client, role, password);
    const db = client.escapeIdentifier(database);
    await client.query(`REVOKE ALL ON DATABASE ${db} FROM PUBLIC`);
    await client.query(`GRANT CONNECT, TEMPORARY ON DATABASE ${db} TO ${name}`);
  });
  await withAdminClient(databaseUrl(serverUrl, database), async (client) => {
    const name = client.escapeIdentifier(role);
    const tables = 'SELECT, INSERT, UPDATE, DELETE';
    const sequences = 'USAGE, SELECT, UPDATE';
    await client.query(`GRANT USAGE ON SCHEMA public TO ${name}`);
    await client.query(`GRANT ${tables} ON ALL TABLES IN SCHEMA public TO ${name}`);
    await client.query(`GRANT ${sequences} ON ALL SEQUENCES IN SCHEMA public TO ${name}`);
    await client.query(
      `ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT ${tables} ON TABLES TO ${name}`,
    );
    await client.query(
      `ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT ${sequences} ON SEQUENCES TO ${name}`,
    );
  });
}

/**
 * Makes the login role of `monitoringUrl` (the PostgreSQL exporter's) with that URL's password and
 * the server's `pg_monitor` rights: every session and setting readable, no table of any service.
 */
export async function ensureMonitoringRole(
  serverUrl: string,
  monitoringUrl: string,
): Promise<void> {
  const url = new URL(monitoringUrl);
  await withAdminClient(serverUrl, async (client) => {
    const name = await ensureLoginRole(
      client,
      decodeURIComponent(url.username),
      decodeURIComponent(url.password),
    );
    await client.query(`GRANT pg_monitor TO ${name}`);
  });
}

/** Creates `role` with `password`, or sets the password of the role that exists; its quoted name. */
async function ensureLoginRole(client: pg.Client, role: string, password: string): Promise<string> {
  const name = client.escapeIdentifier(role);
  const { rowCount } = await client.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [role]);
  const verb = rowCount === 0 ? 'CREATE' : 'ALTER';
  await client.query(`${verb} ROLE ${name} LOGIN PASSWORD ${client.escapeLiteral(password)}`);
  return name;
}

export async function dropDatabase(serverUrl: string, name: string): Promise<void> {
  await withAdminClient(serverUrl, (client) =>
    client.query(`DROP DATABASE IF EXISTS ${client.escapeIdentifier(name)} WITH (FORCE)`),
  );
}

async function withAdminClient<T>(
  serverUrl: string,
  work: (client: pg.Client) => Promise<T>,
): Promise<T> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
