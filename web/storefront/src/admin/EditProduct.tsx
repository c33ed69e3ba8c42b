import type { ProductDetail, Region } from '@bazaar/contracts/shop-api';
import { useState } from 'react';
import { useNavigate, useParams } from 'react-router';
import { api } from '../api';
import { minorUnits, moneyText } from '../lib/money';
import { fieldMessages } from '../lib/problem';
import { Field, Loading, Problem, useAction, useApi } from '../ui';
import { CategoryOptions } from './CategoryOptions';

/**
 * A variant as edited: its price in each currency as typed; `key` keeps React's rows apart while
 * SKUs are typed.
 */
type VariantRow = { key: string; sku: string; options: string; prices: Record<string, string> };
const newRow = (): VariantRow => ({ key: crypto.randomUUID(), sku: '', options: '', prices: {} });
/** "size=M, colour=Red" ↔ {size: "M", colour: "Red"} */
const optionsText = (options: Record<string, string>) =>
  Object.entries(options)
    .map(([name, value]) => `${name}=${value}`)
    .join(', ');
const parseOptions = (text: string) =>
  Object.fromEntries(
    text
      .split(',')
      .map((pair) => pair.split('=').map((part) => part.trim()))
      .filter(
        (pair): pair is [string, string] =>
          pair.length === 2 && Boolean(pair[0]) && Boolean(pair[1]),
      ),
  );

/** A product and its variants: name, description, category, status, each SKU's options and price. */
export function EditProduct() {
  const { id = 'new' } = useParams();
  const creating = id === 'new';
  const navigate = useNavigate();
  const existing = useApi<ProductDetail>(creating ? undefined : `/api/admin/products/${id}`);
  const regions = useApi<{ items: Region[] }>('/api/regions');
  const [form, setForm] = useState<{
    name: string;
    description: string;
    status: ProductDetail['status'];
    category: string;
    variants: VariantRow[];
  }>();
  const loaded = creating
    ? {
        name: '',
        description: '',
        status: 'draft' as const,
        category: '',
        variants: [newRow()],
      }
    : existing.data && {
        name: existing.data.name,
        description: existing.data.description,
        status: existing.data.status,
        category: existing.data.category.slug,
        variants: existing.data.variants.map((variant) => ({
          key: variant.sku,
          sku: variant.sku,
          options: optionsText(variant.options),
          prices: Object.fromEntries(
            variant.prices.map((price) => [price.currency, moneyText(price)]),
          ),
        })),
      };
  const values = form ?? loaded;
  // A price in the currency of every region the shop sells in, and any other the product has.
  const currencies = [
    ...new Set([
      ...(regions.data?.items.map((region) => region.currency) ?? []),
      ...(values?.variants.flatMap((variant) => Object.keys(variant.prices)) ?? []),
    ]),
  ];
  const [savedAt, setSavedAt] = useState<Date>();
  const save = useAction(async () => {
    setSavedAt(undefined);
    if (!values) return;
    const body = {
      name: values.name,
      description: values.description,
      status: values.status,
      category: values.category,
      variants: values.variants.map((variant) => ({
        sku: variant.sku.trim(),
        options: parseOptions(variant.options),
        prices: currencies.map((currency) => ({
          amount: minorUnits(variant.prices[currency] ?? '', currency),
          currency,
        })),
      })),
    };
    const saved = await api<{ id: string }>(
      creating ? '/api/admin/products' : `/api/admin/products/${id}`,
      {
        method: creating ? 'POST' : 'PATCH',
        body,
      },
    );
    setForm(undefined);
    setSavedAt(new Date());
    if (creating) navigate(`/admin/products/${saved.id}`, { replace: true });
    else await existing.reload();
  });
  const archive = useAction(async () => {
    if (!window.confirm('Archive this product? Shoppers will no longer find it.')) return;
    await api(`/api/admin/products/${id}`, { method: 'DELETE' });
    navigate('/admin/products');
  });
  if (existing.error) return <Problem error={existing.error} />;
  if (regions.error) return <Problem error={regions.error} />;
  if (!values || !regions.data) return <Loading />;
  const errors = fieldMessages(save.error);
  const update = (change: Partial<typeof values>) => setForm({ ...values, ...change });
  const updateVariant = (index: number, change: Partial<VariantRow>) =>
    update({
      variants: values.variants.map((row, at) => (at === index ? { ...row, ...change } : row)),
    });

  return (
    <form
      className="edit"
      onSubmit={(event) => {
        event.preventDefault();
        void save.run();
      }}
    >
      <h1>{creating ? 'New product' : values.name}</h1>
      <Field
        label="Name"
        name="name"
        required
        value={values.name}
        onChange={(event) => update({ name: event.target.value })}
        error={errors.name}
      />
      <div className="field">
        <label htmlFor="field-description">Description</label>
        <textarea
          id="field-description"
          value={values.description}
          onChange={(event) => update({ description: event.target.value })}
        />
      </div>
      <div className="field">
        <label htmlFor="field-category">Category</label>
        <select
          id="field-category"
          required
          value={values.category}
          onChange={(event) => update({ category: event.target.value })}
        >
          <option value="">Choose…</option>
          <CategoryOptions />
        </select>
      </div>
      <div className="field">
        <label htmlFor="field-status">Status</label>
        <select
          id="field-status"
          value={values.status}
          onChange={(event) => update({ status: event.target.value as ProductDetail['status'] })}
        >
          <option value="draft">draft (hidden)</option>
          <option value="active">active (on sale)</option>
          <option value="archived">archived</option>
        </select>
      </div>
      {existing.data && <Gallery product={existing.data} reload={existing.reload} />}
      <fieldset>
        <legend>Variants</legend>
        {values.variants.map((variant, index) => (
          <div className="variant-row" key={variant.key}>
            <Field
              label="SKU"
              name={`sku-${index}`}
              required
              value={variant.sku}
              onChange={(event) => updateVariant(index, { sku: event.target.value.toUpperCase() })}
              error={errors[`variants.${index}.sku`]}
            />
            <Field
              label="Options (size=M, colour=Red)"
              name={`options-${index}`}
              value={variant.options}
              onChange={(event) => updateVariant(index, { options: event.target.value })}
            />
            {currencies.map((currency, position) => (
              <Field
                key={currency}
                label={`Price (${currency})`}
                name={`price-${index}-${currency}`}
                inputMode="decimal"
                required
                value={variant.prices[currency] ?? ''}
                onChange={(event) =>
                  updateVariant(index, {
                    prices: { ...variant.prices, [currency]: event.target.value },
                  })
                }
                error={
                  errors[`variants.${index}.prices.${position}.amount`] ??
                  (position === 0 ? errors[`variants.${index}.prices`] : undefined)
                }
              />
            ))}
          </div>
        ))}
        <button type="button" onClick={() => update({ variants: [...values.variants, newRow()] })}>
          Add a variant
        </button>
      </fieldset>
      <Problem error={save.error} />
      {savedAt && !save.busy && (
        <p role="status" className="success">
          Saved at {savedAt.toLocaleTimeString('en-GB')}.
        </p>
      )}
      <button type="submit" disabled={save.busy}>
        {save.busy ? 'Saving…' : 'Save'}
      </button>
      {!creating && values.status !== 'archived' && (
        <button
          type="button"
          className="danger"
          disabled={archive.busy}
          onClick={() => void archive.run()}
        >
          Archive
        </button>
      )}
      <Problem error={archive.error} />
    </form>
  );
}

/**
 * A product's pictures, the first the one shoppers see first: a JPEG, PNG or WebP file added (the
 * shop checks what it is from its bytes), or one taken out.
 */
function Gallery({ product, reload }: { product: ProductDetail; reload: () => Promise<void> }) {
  const add = useAction(async (file: File) => {
    await api(`/api/admin/products/${product.id}/images`, {
      method: 'POST',
      headers: { 'content-type': file.type || 'application/octet-stream' },
      file,
    });
    await reload();
  });
  const remove = useAction(async (image: string) => {
    await api(`/api/admin/products/${product.id}/images/${image.split('/').pop()}`, {
      method: 'DELETE',
    });
    await reload();
  });
  return (
    <fieldset className="gallery">
      <legend>Pictures</legend>
      <ul>
        {product.images.map((image, index) => (
          <li key={image}>
            <img src={image} alt={`${product.name}, ${index + 1} of ${product.images.length}`} />
            {image.startsWith('/media/') && !image.startsWith('/media/demo/') && (
              <button
                type="button"
                disabled={remove.busy}
                onClick={() => void remove.run(image)}
                aria-label={`Remove ${index + 1} of ${product.images.length}`}
              >
                Remove
              </button>
            )}
          </li>
        ))}
      </ul>
      <label htmlFor="gallery-file">Add a picture (JPEG, PNG or WebP, up to 5 MB)</label>
      <input
        id="gallery-file"
        type="file"
        accept="image/jpeg,image/png,image/webp"
        disabled={add.busy}
        onChange={(event) => {
          const file = event.target.files?.[0];
          if (file) void add.run(file);
          event.target.value = '';
        }}
      />
      <Problem error={add.error ?? remove.error} />
    </fieldset>
  );
}
