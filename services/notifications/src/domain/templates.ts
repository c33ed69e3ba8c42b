import type { EventData } from '@bazaar/contracts/events';
import { formatMoney } from '@bazaar/contracts/money-format';
import { escapeMarkup } from '@bazaar/service-kit/markup';

export type Rendered = { subject: string; text: string; html: string };

/** Text and HTML from the same paragraphs, so the two parts never say different things. */
function compose(subject: string, paragraphs: string[], table?: string[][]): Rendered {
  const text = [...paragraphs, ...(table ?? []).map((row) => row.join('  '))].join('\n\n');
  const rows = (table ?? [])
    .map((row) => `<tr>${row.map((cell) => `<td>${escapeMarkup(cell)}</td>`).join('')}</tr>`)
    .join('');
  const html = `<!doctype html><html><body>${paragraphs
    .map((paragraph) => `<p>${escapeMarkup(paragraph)}</p>`)
    .join('')}${rows ? `<table>${rows}</table>` : ''}</body></html>`;
  return { subject, text: `${text}\n`, html };
}

/** The first mail to an address: a link to confirm it, and nothing the registrant wrote. */
export function confirmEmail(
  data: EventData<'identity.email.verification_requested.v1'>,
  shopUrl: string,
): Rendered {
  return compose('Confirm your email address for Bazaar', [
    'Someone, we hope you, asked to open a Bazaar account with this address.',
    'Confirm it with this link, which works once, for 24 hours:',
    `${shopUrl}/verify-email?token=${encodeURIComponent(data.token)}`,
    'If it was not you, ignore this message: no account opens without the link.',
  ]);
}

/** An address with an account was used to sign up again: only its owner hears of it. */
export function signUpRepeated(shopUrl: string): Rendered {
  return compose('Someone tried to sign up with your address', [
    'Someone tried to open a Bazaar account with this address, which already has one.',
    `If it was you, sign in instead: ${shopUrl}/signin`,
    'If it was not you, nothing has changed and nothing needs doing.',
  ]);
}

export function welcome(data: EventData<'identity.user.registered.v1'>, shopUrl: string): Rendered {
  return compose('Welcome to Bazaar', [
    `Hello ${data.name},`,
    'your Bazaar account is ready. Happy shopping!',
    shopUrl,
  ]);
}

export function receipt(data: EventData<'order.confirmed.v1'>, shopUrl: string): Rendered {
  const number = data.orderId.slice(0, 8).toUpperCase();
  return compose(
    `Your Bazaar order ${number} is confirmed`,
    [
      'Thank you for your order. We will write again when it ships.',
      `Order ${number}, total ${formatMoney(data.total)}.`,
      // The link opens the order without signing in (a guest has no account to sign in to).
      data.accessToken
        ? `Your order, any time: ${shopUrl}/order/${data.accessToken}`
        : `${shopUrl}/orders/${data.orderId}`,
    ],
    [
      ...data.lines.map((line) => [
        `${line.quantity} ×`,
        line.name,
        formatMoney({
          amount: line.unitPrice.amount * line.quantity,
          currency: line.unitPrice.currency,
        }),
      ]),
      ...breakdown(data),
    ],
  );
}

/** Subtotal, discount, shipping, tax and total, as the order was charged (older events: none). */
function breakdown(data: EventData<'order.confirmed.v1'>): string[][] {
  const { subtotal, discount, shipping, tax } = data;
  if (!subtotal || !discount || !shipping || !tax) return [];
  return [
    ['', 'Subtotal', formatMoney(subtotal)],
    ...(discount.amount > 0
      ? [
          [
            '',
            `Discount${data.promotionCode ? ` (${data.promotionCode})` : ''}`,
            `−${formatMoney(discount)}`,
          ],
        ]
      : []),
    ['', 'Shipping', formatMoney(shipping)],
    ['', data.taxIncluded ? 'VAT included' : 'Tax', formatMoney(tax)],
    ['', 'Total', formatMoney(data.total)],
  ];
}

export function shipped(data: EventData<'order.shipped.v1'>, shopUrl: string): Rendered {
  const number = data.orderId.slice(0, 8).toUpperCase();
  return compose(`Your Bazaar order ${number} has shipped`, [
    `Your order is on its way with ${data.carrier}, tracking number ${data.trackingNumber}.`,
    `${shopUrl}/orders/${data.orderId}`,
  ]);
}

export function cancelled(data: EventData<'order.cancelled.v1'>, shopUrl: string): Rendered {
  const number = data.orderId.slice(0, 8).toUpperCase();
  return compose(`Your Bazaar order ${number} is cancelled`, [
    `Your order was ${data.reason}. Any payment has been refunded to your card.`,
    `${shopUrl}/orders/${data.orderId}`,
  ]);
}

/** Where the shopper follows an order: its page (a guest, through the receipt's link). */
function orderPage(data: { orderId: string; userId: string | null }, shopUrl: string): string {
  return data.userId
    ? `${shopUrl}/orders/${data.orderId}`
    : 'Your order receipt has the link to your order, its returns included.';
}

const units = (lines: ReadonlyArray<{ name: string; quantity: number }>) =>
  lines.map((line) => `${line.quantity} × ${line.name}`).join(', ');

export function returnRequested(data: EventData<'return.requested.v1'>, shopUrl: string): Rendered {
  const number = data.orderId.slice(0, 8).toUpperCase();
  return compose(`We have your return request for order ${number}`, [
    `You asked to return ${units(data.lines)}.`,
    'We will tell you when we have looked at it. Once the parcel reaches us, the refund goes back to your card.',
    orderPage(data, shopUrl),
  ]);
}

export function returnRejected(data: EventData<'return.rejected.v1'>, shopUrl: string): Rendered {
  const number = data.orderId.slice(0, 8).toUpperCase();
  return compose(`Your return for order ${number} was not accepted`, [
    `We could not accept your return: ${data.note}`,
    'Reply to this message if you think we got it wrong.',
    orderPage(data, shopUrl),
  ]);
}

export function returnReceived(data: EventData<'return.received.v1'>, shopUrl: string): Rendered {
  const number = data.orderId.slice(0, 8).toUpperCase();
  const what = units(data.lines);
  return compose(
    data.kind === 'cancellation'
      ? `Items of your order ${number} are cancelled`
      : `We received your return for order ${number}`,
    [
      data.kind === 'cancellation'
        ? `We cancelled ${what}; the rest of your order goes ahead.`
        : `We received ${what}.`,
      `${formatMoney(data.refund)} is on its way back to your card; banks take up to 10 days to show it.`,
      orderPage(data, shopUrl),
    ],
  );
}

export function lowStock(data: EventData<'inventory.stock.low.v1'>): Rendered {
  return compose(`Low stock: ${data.sku}`, [
    `${data.sku} is down to ${data.available} available (threshold ${data.threshold}).`,
  ]);
}

/** To the shop's alert address: a webhook subscription was taken out of delivery. */
export function webhookDisabled(given: { url: string; reason: string }, shopUrl: string): Rendered {
  return compose(`Webhook disabled: ${given.url}`, [
    `Deliveries to ${given.url} stopped: ${given.reason}.`,
    `Its events are kept. Once the receiver answers again, enable the subscription in the back office (${shopUrl}/admin/webhooks) and replay what it missed.`,
  ]);
}
