import { randomUUID } from 'node:crypto';
import { type Pool, withTransaction } from '@bazaar/db/pool';
import { selectCategoryId } from '../store/product-write-store.js';
import { type PromotionFields, savePromotion, selectPromotion } from '../store/promotion-store.js';
import { CatalogError, type FieldError, isoCurrencies, refuseFields } from './errors.js';
import { normalCode, type Promotion } from './promotions.js';

const earliest = Date.UTC(2000, 0, 1);
const latest = Date.UTC(10_000, 0, 1);

export type PromotionInput = Omit<PromotionFields, 'startsAt'> & { startsAt: string | null };

/** Adds a code; it starts now unless told when. */
export async function createPromotion(db: Pool, input: PromotionInput): Promise<Promotion> {
  return save(db, randomUUID(), input);
}

/** Changes a code's fields; what is not sent stays. */
export async function updatePromotion(
  db: Pool,
  id: string,
  patch: Partial<PromotionInput>,
): Promise<Promotion> {
  const before = await selectPromotion(db, { id });
  if (!before) throw new CatalogError('not_found', `There is no promotion ${id}`);
  return save(db, id, { ...before, ...patch });
}

async function save(db: Pool, id: string, input: PromotionInput): Promise<Promotion> {
  const fields: PromotionFields = {
    ...input,
    code: normalCode(input.code),
    startsAt: input.startsAt ?? new Date().toISOString(),
  };
  return withTransaction(db, async (trx) => {
    await assertValid(fields, (slug) => selectCategoryId(trx, slug));
    if (!(await savePromotion(trx, id, fields))) {
      throw new CatalogError('code_taken', `Another promotion has the code ${fields.code}`, {
        errors: [{ field: 'code', in: 'body', message: 'is taken by another promotion' }],
      });
    }
    return (await selectPromotion(trx, { id })) as Promotion;
  });
}

/** Rules a schema cannot state: each kind with its own fields, a real currency and category. */
async function assertValid(
  fields: PromotionFields,
  categoryId: (slug: string) => Promise<string | undefined>,
): Promise<void> {
  const errors: FieldError[] = [];
  const problem = (field: string, message: string) => errors.push({ field, in: 'body', message });
  if (fields.kind === 'percentage' && fields.percent === null)
    problem('percent', 'is needed for a percentage off');
  if (fields.kind !== 'percentage' && fields.percent !== null)
    problem('percent', 'is for a percentage off only');
  if (fields.kind === 'fixed' && fields.amount === null)
    problem('amount', 'is needed for an amount off');
  if (fields.kind !== 'fixed' && fields.amount !== null)
    problem('amount', 'is for an amount off only');
  if ((fields.amount !== null || fields.minSubtotal !== null) && fields.currency === null) {
    problem('currency', 'is needed for an amount off or a minimum subtotal');
  }
  if (fields.currency !== null && !isoCurrencies.has(fields.currency)) {
    problem('currency', 'is not an ISO 4217 currency');
  }
  if (fields.kind === 'free_shipping' && fields.category !== null) {
    problem('category', 'cannot limit free shipping');
  }
  if (fields.category !== null && !(await categoryId(fields.category))) {
    problem('category', 'is not a category of this shop');
  }
  for (const field of ['startsAt', 'endsAt'] as const) {
    const at = fields[field] === null ? undefined : Date.parse(fields[field] as string);
    if (at !== undefined && !(at >= earliest && at < latest)) {
      problem(field, 'must be in the years 2000 to 9999');
    }
  }
  if (fields.endsAt !== null && Date.parse(fields.endsAt) <= Date.parse(fields.startsAt)) {
    problem('endsAt', 'must be after startsAt');
  }
  refuseFields('invalid_promotion', errors);
}
