// What any Node.js service meets on this machine, measured beside the shop by `npm run bench`:
//   node ceiling-server.js json <port>            a bare Fastify route returning ~1 KB of JSON
//   node ceiling-server.js postgres <port> <url>  one primary-key SELECT (pool of 10), the row as JSON
// It prints `listening` once it answers.
import Fastify from 'fastify';
import pg from 'pg';

const [mode, port, databaseUrl] = process.argv.slice(2);

/** About 1 KB, the size of a product summary with its facets trimmed. */
const document = {
  id: 'c04362ef-bfc8-59e0-8a29-4d96e1e377fd',
  name: 'Travel Meditation Cushion',
  description: 'A buckwheat-filled cushion with a washable cover. '.repeat(14),
  price: { amount: 3899, currency: 'USD' },
  inStock: true,
};

const app = Fastify({ logger: false });
if (mode === 'json') {
  app.get('/', async () => document);
} else if (mode === 'postgres' && databaseUrl) {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 10 });
  await pool.query(`CREATE TABLE IF NOT EXISTS ceiling_rows (id integer PRIMARY KEY, body jsonb NOT NULL);
    INSERT INTO ceiling_rows SELECT n, $$${JSON.stringify(document)}$$::jsonb
      FROM generate_series(1, 1000) n ON CONFLICT DO NOTHING`);
  let next = 0;
  app.get('/', async () => {
    next = (next % 1000) + 1;
    const { rows } = await pool.query({
      name: 'ceiling-row',
      text: 'SELECT id, body FROM ceiling_rows WHERE id = $1',
      values: [next],
    });
    return rows[0];
  });
} else {
  console.error('usage: ceiling-server.js json <port> | postgres <port> <postgres-url>');
  process.exit(2);
}
await app.listen({ port: Number(port), host: '127.0.0.1' });
process.stdout.write('listening\n');
