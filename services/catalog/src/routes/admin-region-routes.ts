import { AdminRegion, ShippingRate, TaxRate } from '@bazaar/contracts/shop-api';
import type { Pool } from '@bazaar/db/pool';
import type { ServiceApp } from '@bazaar/service-kit/app';
import { requireRole, type TokenVerifier } from '@bazaar/service-kit/auth';
import { Type } from 'typebox';
import {
  putRegion,
  putShippingOption,
  putTaxRate,
  removeTaxRate,
} from '../domain/manage-regions.js';
import type { ShopRegions } from '../domain/shop-regions.js';
import { selectRegions, selectTaxRates } from '../store/region-store.js';

const Id = Type.String({ pattern: '^[a-z0-9]+(-[a-z0-9]+)*$', maxLength: 32 });
const Country = Type.String({ pattern: '^[A-Z]{2}$' });

/** A region's return window when an admin names none: what many shops offer. */
const defaultReturnDays = 30;

const RegionBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 100 }),
    currency: Type.String({ pattern: '^[A-Z]{3}$' }),
    taxIncluded: Type.Boolean(),
    taxShipping: Type.Boolean(),
    returnDays: Type.Optional(
      Type.Integer({
        minimum: 0,
        maximum: 365,
        default: defaultReturnDays,
        description: 'days after shipping a return may be asked for',
      }),
    ),
    defaultCountry: Country,
    countries: Type.Array(Country, { minItems: 1, maxItems: 250, uniqueItems: true }),
  },
  { additionalProperties: false },
);

const ShippingOptionBody = Type.Object(
  {
    regionId: Id,
    name: Type.String({ minLength: 1, maxLength: 100 }),
    estimate: Type.String({ minLength: 1, maxLength: 100 }),
    countries: Type.Array(Country, { maxItems: 250, uniqueItems: true }),
    rate: ShippingRate,
    active: Type.Boolean(),
  },
  { additionalProperties: false },
);

const TaxRateKey = Type.Object(
  {
    country: TaxRate.properties.country,
    state: Type.Optional(TaxRate.properties.state),
    category: Type.Optional(TaxRate.properties.category),
  },
  { additionalProperties: false },
);

/** Where the shop sells, how it ships there and what tax it charges, for admins. */
export function adminRegionRoutes(
  app: ServiceApp,
  deps: { db: Pool; regions: ShopRegions; verify: TokenVerifier },
) {
  const adminOnly = requireRole(deps.verify, 'admin');

  app.get(
    '/api/admin/regions',
    {
      onRequest: adminOnly,
      schema: {
        summary: 'Every region with its countries and shipping options, paused ones too',
        tags: ['admin'],
        response: { 200: Type.Object({ items: Type.Array(AdminRegion) }) },
      },
    },
    async () => ({ items: await selectRegions(deps.db, { inactiveOptions: true }) }),
  );

  app.put(
    '/api/admin/regions/:id',
    {
      onRequest: adminOnly,
      schema: {
        summary: 'Add or change a region (a new one comes last in the shop order)',
        tags: ['admin'],
        params: Type.Object({ id: Id }),
        body: RegionBody,
        response: { 200: AdminRegion },
      },
    },
    async (request) => {
      const { returnDays = defaultReturnDays, ...region } = request.body;
      const saved = await putRegion(deps.db, request.params.id, { ...region, returnDays });
      deps.regions.forget();
      return saved;
    },
  );

  app.put(
    '/api/admin/shipping-options/:id',
    {
      onRequest: adminOnly,
      schema: {
        summary: 'Add or change a shipping option of a region; active: false pauses it',
        tags: ['admin'],
        params: Type.Object({ id: Id }),
        body: ShippingOptionBody,
        response: { 204: Type.Null() },
      },
    },
    async (request, reply) => {
      await putShippingOption(deps.db, request.params.id, request.body);
      deps.regions.forget();
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/api/admin/tax-rates',
    {
      onRequest: adminOnly,
      schema: {
        summary: "The tax rates, or one country's",
        tags: ['admin'],
        querystring: Type.Object(
          { country: Type.Optional(Country) },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ items: Type.Array(TaxRate) }) },
      },
    },
    async (request) => ({ items: await selectTaxRates(deps.db, request.query.country) }),
  );

  app.put(
    '/api/admin/tax-rates',
    {
      onRequest: adminOnly,
      schema: {
        summary: "Set a country's rate, or a state's, or a category's there",
        tags: ['admin'],
        body: TaxRate,
        response: { 204: Type.Null() },
      },
    },
    async (request, reply) => {
      await putTaxRate(deps.db, request.body);
      deps.regions.forget();
      return reply.code(204).send(null);
    },
  );

  app.delete(
    '/api/admin/tax-rates',
    {
      onRequest: adminOnly,
      schema: {
        summary: 'Remove a rate: the one of the country (or state) without it applies',
        tags: ['admin'],
        querystring: TaxRateKey,
        response: { 204: Type.Null() },
      },
    },
    async (request, reply) => {
      const { country, state = '', category = '' } = request.query;
      await removeTaxRate(deps.db, { country, state, category });
      deps.regions.forget();
      return reply.code(204).send(null);
    },
  );
}
