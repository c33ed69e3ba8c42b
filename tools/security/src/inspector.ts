import { WebSocket } from 'undici';

/**
 * Evaluates `expression` inside a running service, through the inspector it was started with
 * (`--inspect=127.0.0.1:0`; its address is in the line it printed), and returns the value.
 */
export async function evaluateIn(
  output: string,
  service: string,
  expression: string,
): Promise<unknown> {
  const match = new RegExp(`^${service} +\\| Debugger listening on (ws://\\S+)$`, 'm').exec(output);
  if (!match?.[1]) throw new Error(`${service} printed no inspector address`);
  const socket = new WebSocket(match[1]);
  try {
    await new Promise((resolve, reject) => {
      socket.addEventListener('open', resolve, { once: true });
      socket.addEventListener('error', reject, { once: true });
    });
    const reply = new Promise<{ result: { result: { value: unknown } } }>((resolve) => {
      socket.addEventListener('message', (message) => resolve(JSON.parse(String(message.data))), {
        once: true,
      });
    });
    socket.send(
      JSON.stringify({
        id: 1,
        method: 'Runtime.evaluate',
        params: { expression, returnByValue: true },
      }),
    );
    return (await reply).result.result.value;
  } finally {
    socket.close();
  }
}
