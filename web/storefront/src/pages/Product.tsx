import type { ProductDetail } from '@bazaar/contracts/shop-api';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { useCart } from '../cart';
import { stockText } from '../lib/people';
import { firstChoice, optionGroups, variantAfterChoice } from '../lib/variant-choice';
import { Loading, Price, Problem, useAction, useApi, usePageTitle } from '../ui';

export function ProductPage() {
  const { slug = '' } = useParams();
  const cart = useCart();
  const product = useApi<ProductDetail>(
    `/api/products/${encodeURIComponent(slug)}${cart.region ? `?region=${cart.region}` : ''}`,
  );
  usePageTitle(product.data?.name);
  const [chosen, setChosen] = useState<string>();
  const [quantity, setQuantity] = useState(1);
  const [added, setAdded] = useState(false);
  const variants = product.data?.variants ?? [];
  const variant = variants.find((candidate) => candidate.sku === chosen) ?? firstChoice(variants);
  const stock = useApi<{ available: number }>(
    variant ? `/api/inventory/${encodeURIComponent(variant.sku)}` : undefined,
  );
  const add = useAction(async () => {
    if (!variant) return;
    setAdded(false);
    await cart.add(variant.sku, quantity);
    setAdded(true);
  });

  if (product.error) return <Problem error={product.error} />;
  if (!product.data || !variant) return <Loading what="Loading the product" />;
  const available = stock.data?.available;

  return (
    <article className="product">
      <Gallery images={product.data.images} name={product.data.name} />
      <div>
        <nav aria-label="Breadcrumb">
          <ol className="breadcrumbs">
            <li>
              <Link to="/">Shop</Link>
            </li>
            <li>
              <Link to={`/?category=${product.data.category.slug}`}>
                {product.data.category.name}
              </Link>
            </li>
            <li aria-current="page">{product.data.name}</li>
          </ol>
        </nav>
        <h1>{product.data.name}</h1>
        <p className="big">
          <Price money={variant.price} />
        </p>
        <p>{product.data.description}</p>
        {variants.length > 1 &&
          optionGroups(variants, variant.options).map((group) => (
            <fieldset key={group.name} className="variants">
              <legend>
                {group.label}: <strong>{variant.options[group.name]}</strong>
              </legend>
              {group.values.map(({ value, soldOut }) => (
                <label key={value} className="variant">
                  <input
                    type="radio"
                    name={group.name}
                    value={value}
                    checked={variant.options[group.name] === value}
                    disabled={soldOut && variant.options[group.name] !== value}
                    onChange={() => {
                      setChosen(
                        variantAfterChoice(variants, variant.options, group.name, value)?.sku,
                      );
                      setAdded(false);
                    }}
                  />
                  {value}
                  {soldOut && <span className="meta"> (sold out)</span>}
                </label>
              ))}
            </fieldset>
          ))}
        <p className="stock" aria-live="polite">
          {stock.loading ? 'Checking stock…' : available === undefined ? '' : stockText(available)}
        </p>
        <form
          className="add"
          onSubmit={(event) => {
            event.preventDefault();
            void add.run();
          }}
        >
          <label htmlFor="quantity">Quantity</label>
          <input
            id="quantity"
            type="number"
            min={1}
            max={Math.min(99, available ?? 99)}
            value={quantity}
            onChange={(event) => setQuantity(Math.max(1, Number(event.target.value) || 1))}
          />
          <button type="submit" disabled={add.busy || available === 0}>
            {add.busy ? 'Adding…' : 'Add to cart'}
          </button>
        </form>
        <Problem error={add.error} />
        {added && (
          <div role="status" className="mini-cart">
            <p>
              Added.
              {cart.cart &&
                ` Your cart: ${cart.cart.itemCount} ${cart.cart.itemCount === 1 ? 'item' : 'items'}, `}
              {cart.cart && <Price money={cart.cart.subtotal} />}
            </p>
            <Link to="/cart">View cart</Link>{' '}
            <Link className="button" to="/checkout">
              Check out
            </Link>
          </div>
        )}
        <p className="meta">SKU {variant.sku}</p>
      </div>
    </article>
  );
}

/** The product's pictures: the one shown large, and the others to choose from beneath it. */
function Gallery({ images, name }: { images: string[]; name: string }) {
  const [shown, setShown] = useState(0);
  const hero = images[shown] ?? images[0];
  if (!hero) return null;
  return (
    <div className="gallery">
      <img src={hero} alt={name} className="hero" />
      {images.length > 1 && (
        <ul className="thumbnails">
          {images.map((image, index) => (
            <li key={image}>
              <button
                type="button"
                aria-label={`Show ${index + 1} of ${images.length}`}
                aria-pressed={index === shown}
                onClick={() => setShown(index)}
              >
                <img src={image} alt="" loading="lazy" />
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
