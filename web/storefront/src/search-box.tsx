import type { ProductListing } from '@bazaar/contracts/shop-api';
import { useEffect, useId, useState } from 'react';
import { useLocation, useNavigate, useSearchParams } from 'react-router';
import { api } from './api';
import { useCart } from './cart';
import { useCategories } from './categories';
import { formatMoney } from './lib/money';
import { type Suggestion, suggestionsFor } from './lib/suggestions';

/**
 * The header's search: suggestions as the shopper types (departments and aisles by name, the
 * first products found), chosen with the arrow keys or the pointer, as the ARIA combobox pattern
 * has it; Enter without a choice searches.
 */
export function SearchBox() {
  const navigate = useNavigate();
  const location = useLocation();
  const [params] = useSearchParams();
  const { region } = useCart();
  const categories = useCategories();
  const onCatalog = location.pathname === '/';
  const [text, setText] = useState(onCatalog ? (params.get('q') ?? '') : '');
  const [products, setProducts] = useState<ProductListing>();
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);
  const listId = useId();

  // The box shows the search the catalog shows, and empties on other pages.
  const searched = onCatalog ? (params.get('q') ?? '') : '';
  useEffect(() => {
    setText(searched);
    setOpen(false);
  }, [searched]);

  useEffect(() => {
    const words = text.trim();
    if (!open || words.length < 2) return;
    let current = true;
    const timer = setTimeout(() => {
      const query = new URLSearchParams({ q: words, limit: '5' });
      if (region) query.set('region', region);
      api<ProductListing>(`/api/products?${query}`).then(
        (found) => current && setProducts(found),
        () => current && setProducts(undefined),
      );
    }, 150);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [text, open, region]);

  const suggestions =
    open && text.trim().length >= 2 ? suggestionsFor(text, categories, products) : [];
  const go = (to: string) => {
    setOpen(false);
    setActive(-1);
    navigate(to);
  };
  const search = () => {
    const words = text.trim();
    go(words ? `/?${new URLSearchParams({ q: words })}` : '/');
  };

  return (
    <search className="search-box">
      <form
        onSubmit={(event) => {
          event.preventDefault();
          const chosen = suggestions[active];
          if (chosen) go(chosen.to);
          else search();
        }}
      >
        <label htmlFor="search" className="visually-hidden">
          Search
        </label>
        <input
          id="search"
          type="search"
          role="combobox"
          autoComplete="off"
          placeholder="Search lamps, mugs, boots…"
          aria-expanded={suggestions.length > 0}
          aria-controls={listId}
          aria-autocomplete="list"
          aria-activedescendant={active >= 0 ? `${listId}-${active}` : undefined}
          value={text}
          onChange={(event) => {
            setText(event.target.value);
            setOpen(true);
            setActive(-1);
          }}
          onKeyDown={(event) => {
            if (event.key === 'ArrowDown' && suggestions.length > 0) {
              event.preventDefault();
              setOpen(true);
              setActive((active + 1) % suggestions.length);
            } else if (event.key === 'ArrowUp' && suggestions.length > 0) {
              event.preventDefault();
              setActive(active <= 0 ? suggestions.length - 1 : active - 1);
            } else if (event.key === 'Escape') {
              setOpen(false);
              setActive(-1);
            }
          }}
          onBlur={() => setOpen(false)}
        />
        <button type="submit">Search</button>
      </form>
      <div id={listId} role="listbox" aria-label="Suggestions" hidden={suggestions.length === 0}>
        {suggestions.map((suggestion, index) => (
          <div
            key={suggestion.to}
            id={`${listId}-${index}`}
            role="option"
            // Focus stays in the box; the active option is its aria-activedescendant.
            tabIndex={-1}
            aria-selected={index === active}
            // Chosen before the input's blur closes the list.
            onMouseDown={(event) => {
              event.preventDefault();
              go(suggestion.to);
            }}
          >
            <SuggestionText suggestion={suggestion} />
          </div>
        ))}
      </div>
    </search>
  );
}

function SuggestionText({ suggestion }: { suggestion: Suggestion }) {
  switch (suggestion.kind) {
    case 'category':
      return (
        <>
          <span className="meta">In </span>
          {suggestion.name}
        </>
      );
    case 'product':
      return (
        <>
          {suggestion.image && <img src={suggestion.image} alt="" width={32} height={24} />}
          {suggestion.name}
          <span className="meta"> {formatMoney(suggestion.price)}</span>
        </>
      );
    case 'search':
      return <>{suggestion.name}</>;
  }
}
