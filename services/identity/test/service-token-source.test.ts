import { serviceTokenSource } from '@bazaar/service-kit/service-token';
import { afterAll, beforeAll, expect, inject, test } from 'vitest';
import { type RunningIdentity, startIdentity, testServiceClient } from './identity-fixture.js';

let identity: RunningIdentity;
let identityUrl: string;

beforeAll(async () => {
  identity = await startIdentity(inject('postgresUrl'));
  identityUrl = await identity.app.listen({ port: 0, host: '127.0.0.1' });
});

afterAll(() => identity.close());

test('a service fetches one token and shares it between concurrent and later calls', async () => {
  const token = serviceTokenSource({
    identityUrl,
    clientId: testServiceClient.id,
    clientSecret: testServiceClient.secret,
  });
  const tokens = await Promise.all(Array.from({ length: 10 }, () => token()));
  const later = await token();
  // Every token has its own jti: one distinct token means one fetch.
  expect(new Set([...tokens, later]).size).toBe(1);
  const claims = JSON.parse(Buffer.from(later.split('.')[1] ?? '', 'base64url').toString());
  expect(claims).toMatchObject({ sub: `service:${testServiceClient.id}`, aud: 'bazaar-internal' });
});

test('wrong credentials fail with the client named, and nothing is cached', async () => {
  const token = serviceTokenSource({
    identityUrl,
    clientId: 'cart',
    clientSecret: 'not-the-secret-123',
  });
  await expect(token()).rejects.toThrow('identity refused service credentials of cart (401)');
  await expect(token()).rejects.toThrow('(401)');
});
