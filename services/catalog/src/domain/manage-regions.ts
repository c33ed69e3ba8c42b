import type { ShippingRate } from '@bazaar/contracts/shop-api';
import { type Pool, withTransaction } from '@bazaar/db/pool';
import { selectCategoryId } from '../store/product-write-store.js';
import {
  deleteTaxRate,
  saveRegion,
  saveShippingOption,
  saveTaxRate,
  selectRegionOfCountries,
  selectRegions,
} from '../store/region-store.js';
import { CatalogError, type FieldError, isoCurrencies, refuseFields } from './errors.js';
import type { Region, ShippingOption, TaxRate } from './regions.js';

export type RegionInput = Omit<Region, 'id' | 'shippingOptions'>;

/** Adds or changes a region; a country it names must not be sold to from another region. */
export async function putRegion(db: Pool, id: string, input: RegionInput): Promise<Region> {
  return withTransaction(db, async (trx) => {
    const errors: FieldError[] = [];
    if (!isoCurrencies.has(input.currency)) {
      errors.push({ field: 'currency', in: 'body', message: 'is not an ISO 4217 currency' });
    }
    if (!input.countries.includes(input.defaultCountry)) {
      errors.push({ field: 'defaultCountry', in: 'body', message: 'must be one of countries' });
    }
    const elsewhere = await selectRegionOfCountries(trx, input.countries);
    input.countries.forEach((country, index) => {
      const other = elsewhere.get(country);
      if (other !== undefined && other !== id) {
        errors.push({
          field: `countries.${index}`,
          in: 'body',
          message: `is sold to from the region ${other}`,
        });
      }
    });
    refuseFields('invalid_region', errors);
    await saveRegion(trx, id, input);
    return (await selectRegions(trx, { inactiveOptions: true })).find(
      (region) => region.id === id,
    ) as Region;
  });
}

export type ShippingOptionInput = Omit<ShippingOption, 'id'> & {
  regionId: string;
  active: boolean;
};

/** Adds or changes a shipping option of a region; the countries it serves are the region's. */
export async function putShippingOption(
  db: Pool,
  id: string,
  input: ShippingOptionInput,
): Promise<void> {
  const region = (await selectRegions(db)).find((candidate) => candidate.id === input.regionId);
  const errors: FieldError[] = [];
  if (!region) {
    errors.push({ field: 'regionId', in: 'body', message: 'is not a region of this shop' });
  }
  input.countries.forEach((country, index) => {
    if (region && !region.countries.includes(country)) {
      errors.push({ field: `countries.${index}`, in: 'body', message: `is not in ${region.name}` });
    }
  });
  errors.push(...rateProblems(input.rate));
  refuseFields('invalid_region', errors);
  await saveShippingOption(db, id, input);
}

/** Bands rise, and the last has no upper limit, so every goods value falls in one. */
function rateProblems(rate: ShippingRate): FieldError[] {
  if (rate.kind !== 'bands') return [];
  const limits = rate.bands.map((band) => band.upTo);
  const last = limits.length - 1;
  const problems: FieldError[] = [];
  limits.forEach((upTo, index) => {
    const previous = index === 0 ? -1 : limits[index - 1];
    if (index === last && upTo !== null) {
      problems.push({
        field: `rate.bands.${index}.upTo`,
        in: 'body',
        message: 'must be null: the last band has no limit',
      });
    } else if (
      index !== last &&
      (upTo === null || (previous ?? -1) === null || upTo <= (previous as number))
    ) {
      problems.push({
        field: `rate.bands.${index}.upTo`,
        in: 'body',
        message: 'must rise above the band before',
      });
    }
  });
  return problems;
}

/** Sets a tax rate; the country must be sold to, the category (if any) a category of the shop. */
export async function putTaxRate(db: Pool, rate: TaxRate & { name: string }): Promise<void> {
  const errors: FieldError[] = [];
  if (!(await selectRegionOfCountries(db, [rate.country])).has(rate.country)) {
    errors.push({ field: 'country', in: 'body', message: 'is not in a region of this shop' });
  }
  if (rate.category !== '' && !(await selectCategoryId(db, rate.category))) {
    errors.push({ field: 'category', in: 'body', message: 'is not a category of this shop' });
  }
  refuseFields('invalid_region', errors);
  await saveTaxRate(db, rate);
}

export async function removeTaxRate(
  db: Pool,
  key: Pick<TaxRate, 'country' | 'state' | 'category'>,
): Promise<void> {
  if (!(await deleteTaxRate(db, key))) {
    throw new CatalogError('not_found', 'There is no such tax rate');
  }
}
