import { createServer } from 'node:net';

/** Finds the first port already taken, so the launcher can refuse before starting anything. */
export async function findTakenPort(
  ports: ReadonlyArray<{ port: number; owner: string }>,
): Promise<{ port: number; owner: string } | undefined> {
  for (const entry of ports) {
    if (!(await isFree(entry.port))) return entry;
  }
  return undefined;
}

function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen({ port, host: '127.0.0.1', exclusive: true }, () =>
      server.close(() => resolve(true)),
    );
  });
}
