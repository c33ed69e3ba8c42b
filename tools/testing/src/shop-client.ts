import { randomUUID } from 'node:crypto';

// biome-ignore lint/suspicious/noExplicitAny: answers are read loosely; the assertions check their shape
export type Answer = { status: number; body: any; headers: Headers };

type CallOptions = {
  body?: unknown;
  bearer?: string;
  headers?: Record<string, string>;
};

export const shippingAddress = {
  name: 'Ada Lovelace',
  line1: '12 St James Square',
  city: 'London',
  postalCode: 'SW1Y 4JH',
  country: 'GB',
};
/** A card of the test provider's, good through 2034. */
export const goodCard = {
  method: 'card',
  cardNumber: '4242 4242 4242 4242',
  expiry: '12/34',
  cvc: '123',
};
export const declinedCard = { ...goodCard, cardNumber: '4000 0000 0000 0002' };

export const devAdmin = { email: 'admin@bazaar.local', password: 'bazaar-admin-dev' };

export type ShopClient = ReturnType<typeof shopClient>;

/**
 * The public API of a running shop, as a browser or an API client uses it through the gateway:
 * for tests, the fault and security suites and the benchmark. Steps that must succeed throw with
 * the answer when they do not.
 */
export function shopClient(
  baseUrl: string,
  administrator: { email: string; password: string } = devAdmin,
) {
  const send = (method: string, path: string, options: CallOptions) =>
    fetch(`${baseUrl}${path}`, {
      method,
      headers: {
        ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(options.bearer ? { authorization: `Bearer ${options.bearer}` } : {}),
        ...options.headers,
      },
      body: options.body === undefined ? null : JSON.stringify(options.body),
    });

  const call = async (method: string, path: string, options: CallOptions = {}): Promise<Answer> => {
    const response = await send(method, path, options).catch((error: unknown) => {
      // A kept-alive connection the server closed as the request went out (a busy client's timer
      // late by more than undici's margin): a browser sends a GET again on a new one, so do we.
      if (method === 'GET' && closedBeforeAnswer(error)) return send(method, path, options);
      throw error;
    });
    const text = await response.text();
    let body: unknown = text;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      // Not JSON (a page, a proxy's error): kept as text for the assertion to show.
    }
    return { status: response.status, body, headers: response.headers };
  };

  const expectStatus = (answer: Answer, status: number, what: string): Answer => {
    if (answer.status !== status) {
      throw new Error(
        `${what}: expected ${status}, got ${answer.status} ${JSON.stringify(answer.body)}`,
      );
    }
    return answer;
  };

  const signIn = async (email: string, password: string) =>
    expectStatus(
      await call('POST', '/api/auth/login', { body: { email, password } }),
      200,
      'sign in',
    ).body as { accessToken: string; refreshToken: string };

  // The mail log, read as the administrator (the dev admin unless given): every message the shop
  // sent, or would have sent without SMTP.
  let admin: Promise<string> | undefined;
  const mailTo = async (email: string, kind: string) => {
    admin ??= signIn(administrator.email, administrator.password).then(
      (session) => session.accessToken,
    );
    const bearer = await admin;
    for (const deadline = Date.now() + 15_000; Date.now() < deadline; ) {
      const log = expectStatus(
        await call('GET', `/api/admin/notifications?to=${encodeURIComponent(email)}&limit=10`, {
          bearer,
        }),
        200,
        'mail log',
      );
      const mail = (log.body.items as Array<{ kind: string; text: string }>).find(
        (message) => message.kind === kind,
      );
      if (mail) return mail.text;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    throw new Error(`no ${kind} mail to ${email} within 15 s`);
  };

  /** The token of the confirmation link mailed to `email` after a sign-up. */
  const confirmationToken = async (email: string) => {
    const text = await mailTo(email, 'email_confirmation');
    const token = /verify-email\?token=([\w%-]+)/.exec(text)?.[1];
    if (!token) throw new Error(`no confirmation link in: ${text}`);
    return decodeURIComponent(token);
  };

  /** A shopper as a person becomes one: signs up, follows the mailed link, is signed in. */
  const newCustomer = async (email = `shopper-${randomUUID().slice(0, 12)}@example.com`) => {
    expectStatus(
      await call('POST', '/api/auth/register', {
        body: { email, password: 'correct horse battery staple', name: 'Ada' },
      }),
      202,
      'register',
    );
    const answer = expectStatus(
      await call('POST', '/api/auth/verify-email', {
        body: { token: await confirmationToken(email) },
      }),
      200,
      'confirm the address',
    );
    return {
      email,
      token: answer.body.accessToken as string,
      refreshToken: answer.body.refreshToken as string,
      userId: answer.body.user.id as string,
    };
  };

  /**
   * A product with one SKU of its own holding `onHand` units, so tests never share stock; priced
   * `price` minor units in each of the demo regions' currencies.
   */
  const stockedSku = async (adminToken: string, onHand: number, price = 2500): Promise<string> => {
    const sku = `E2E-${randomUUID().slice(0, 8).toUpperCase()}`;
    expectStatus(
      await call('POST', '/api/admin/products', {
        bearer: adminToken,
        body: {
          name: `Test Lamp ${sku}`,
          description: 'A lamp for a test',
          category: 'lighting',
          status: 'active',
          variants: [
            {
              sku,
              prices: ['USD', 'GBP', 'EUR'].map((currency) => ({ amount: price, currency })),
              options: {},
            },
          ],
        },
      }),
      201,
      'create product',
    );
    expectStatus(
      await call('PUT', `/api/admin/inventory/${sku}`, { bearer: adminToken, body: { onHand } }),
      200,
      'set stock',
    );
    return sku;
  };

  const available = async (sku: string): Promise<number> =>
    expectStatus(await call('GET', `/api/inventory/${sku}`), 200, 'stock').body.available;

  const cartWith = async (bearer: string, sku: string, quantity: number) =>
    expectStatus(
      await call('POST', '/api/cart/items', { bearer, body: { sku, quantity } }),
      200,
      'add to cart',
    );

  const checkout = (bearer: string, key: string, payment: object = goodCard) =>
    call('POST', '/api/checkout', {
      bearer,
      headers: { 'idempotency-key': key },
      body: { shippingAddress, payment },
    });

  return {
    call,
    expectStatus,
    signIn,
    newCustomer,
    mailTo,
    confirmationToken,
    stockedSku,
    available,
    cartWith,
    checkout,
  };
}

const closedBeforeAnswer = (error: unknown) =>
  error instanceof TypeError &&
  (error.cause as { code?: string } | undefined)?.code === 'UND_ERR_SOCKET';
