import { connect, createServer, type Socket } from 'node:net';

export type SilentLink = {
  /** Where to connect instead of the target: 127.0.0.1 and this port. */
  port: number;
  /**
   * Stops carrying bytes either way while every connection stays open: what a network partition
   * looks like from both ends (no reset, no close, no answer). A new connection is refused at
   * once, as one to a container whose network is gone fails (its name no longer resolves).
   */
  silence: () => void;
  /** Carries bytes again, on the held connections too. */
  restore: () => void;
  close: () => Promise<void>;
};

/** A TCP forwarder on 127.0.0.1 to `target` that a test can make go silent. */
export async function silentLink(target: { host: string; port: number }): Promise<SilentLink> {
  let silent = false;
  /** Bytes that arrived while silent, with where they go once the link is restored. */
  let held: Array<{ to: Socket; chunk: Buffer }> = [];
  const sockets = new Set<Socket>();
  const forward = (from: Socket, to: Socket) => {
    sockets.add(from);
    from.on('close', () => {
      sockets.delete(from);
      to.destroy();
    });
    from.on('error', () => from.destroy());
    from.on('data', (chunk: Buffer) => {
      if (silent) held.push({ to, chunk });
      else to.write(chunk);
    });
  };
  const server = createServer((client) => {
    if (silent) {
      client.destroy();
      return;
    }
    const upstream = connect(target.port, target.host);
    forward(client, upstream);
    forward(upstream, client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  return {
    port: address.port,
    silence: () => {
      silent = true;
    },
    restore: () => {
      silent = false;
      for (const { to, chunk } of held) if (!to.destroyed) to.write(chunk);
      held = [];
    },
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
