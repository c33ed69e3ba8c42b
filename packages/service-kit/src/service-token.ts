import { httpCall } from './http-client.js';

/** Hands out a valid service token for `/internal` calls, fetching a new one only when needed. */
export type ServiceTokenSource = () => Promise<string>;

/**
 * Gets service tokens from identity by client credentials and keeps each until 30 s before it
 * expires; callers that ask while a fetch is under way share it.
 */
export function serviceTokenSource(options: {
  identityUrl: string;
  clientId: string;
  clientSecret: string;
  timeoutMs?: number;
}): ServiceTokenSource {
  let current: { token: string; renewAt: number } | undefined;
  let pending: Promise<string> | undefined;

  const fetchToken = async (): Promise<string> => {
    const response = await httpCall(`${options.identityUrl}/internal/service-tokens`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ clientId: options.clientId, clientSecret: options.clientSecret }),
      timeoutMs: options.timeoutMs ?? 3000,
    });
    if (response.status !== 200) {
      throw new Error(
        `identity refused service credentials of ${options.clientId} (${response.status})`,
      );
    }
    const { accessToken, expiresIn } = JSON.parse(response.text) as {
      accessToken: string;
      expiresIn: number;
    };
    current = { token: accessToken, renewAt: Date.now() + Math.max(expiresIn - 30, 1) * 1000 };
    return accessToken;
  };

  return async () => {
    if (current && current.renewAt > Date.now()) return current.token;
    pending ??= fetchToken().finally(() => {
      pending = undefined;
    });
    return pending;
  };
}
