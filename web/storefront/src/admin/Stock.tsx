import type { StockLevel } from '@bazaar/contracts/shop-api';
import { useEffect, useState } from 'react';
import { api } from '../api';
import { Loading, Problem, useAction, useApi } from '../ui';
import { CsvFile } from './CsvFile';

type StockPage = { items: StockLevel[]; nextAfter: string | null };

/**
 * Every SKU's stock as a list to search by SKU (or keep to those running low), each count on hand
 * set where it stands (after a delivery or a count); a SKU without stock yet is set from the search.
 */
export function Stock() {
  const [search, setSearch] = useState('');
  const [low, setLow] = useState(false);
  const [query, setQuery] = useState('');
  // The pages shown of this search: each begins after the last SKU of the one before.
  const [more, setMore] = useState<{ search: string; pages: string[] }>({
    search: '',
    pages: [''],
  });
  const [saved, setSaved] = useState<StockLevel>();
  // The list follows the box a moment after the last key.
  useEffect(() => {
    const timer = setTimeout(() => setQuery(search.trim().toUpperCase()), 250);
    return () => clearTimeout(timer);
  }, [search]);
  const searched = `${query}|${low}`;
  const pages = more.search === searched ? more.pages : [''];

  const shown = (after: string) =>
    `/api/admin/inventory?${new URLSearchParams({
      ...(query ? { q: query } : {}),
      low: String(low),
      limit: '50',
      ...(after ? { after } : {}),
    })}`;

  return (
    <>
      <div className="toolbar">
        <label htmlFor="stock-sku">SKU</label>
        <input
          id="stock-sku"
          type="search"
          placeholder="LGT-05"
          value={search}
          onChange={(event) => setSearch(event.target.value)}
        />
        <label className="check">
          <input type="checkbox" checked={low} onChange={(event) => setLow(event.target.checked)} />
          Running low only
        </label>
      </div>
      {saved && (
        <p role="status" className="success">
          {saved.sku}: {saved.onHand} on hand, {saved.reserved} held for orders, {saved.available}{' '}
          available
        </p>
      )}
      <table>
        <thead>
          <tr>
            <th>SKU</th>
            <th>On hand</th>
            <th>Held for orders</th>
            <th>Available</th>
            <th>Low below</th>
            <th>Set on hand</th>
          </tr>
        </thead>
        {pages.map((after, index) => (
          <StockRows
            key={`${searched}|${after}`}
            path={shown(after)}
            search={index === 0 ? query : ''}
            onSaved={setSaved}
            onMore={(next) =>
              setMore({ search: searched, pages: [...pages.slice(0, index + 1), next] })
            }
            last={index === pages.length - 1}
          />
        ))}
      </table>
      <CsvFile
        title="Stock as a file"
        fileName="stock.csv"
        label="Stock file (CSV)"
        exportPath="/api/admin/inventory/export"
        importPath="/api/admin/inventory/import"
      >
        Columns <code>sku</code>, <code>on_hand</code> and, optionally,{' '}
        <code>low_stock_threshold</code>.
      </CsvFile>
    </>
  );
}

/** One page of the list; the first offers to stock a searched SKU that has none yet. */
function StockRows({
  path,
  search,
  onSaved,
  onMore,
  last,
}: {
  path: string;
  search: string;
  onSaved: (level: StockLevel) => void;
  onMore: (after: string) => void;
  last: boolean;
}) {
  const page = useApi<StockPage>(path);
  const save = async (sku: string, onHand: number) => {
    const level = await api<StockLevel>(`/api/admin/inventory/${encodeURIComponent(sku)}`, {
      method: 'PUT',
      body: { onHand },
    });
    onSaved(level);
    await page.reload();
  };
  const unlisted =
    /^[A-Z0-9]+(-[A-Z0-9]+)*$/.test(search) &&
    page.data &&
    !page.data.items.some((level) => level.sku === search);
  return (
    <tbody>
      {page.error ? (
        <tr>
          <td colSpan={6}>
            <Problem error={page.error} />
          </td>
        </tr>
      ) : null}
      {!page.data && !page.error && (
        <tr>
          <td colSpan={6}>
            <Loading what="Counting stock" />
          </td>
        </tr>
      )}
      {page.data?.items.map((level) => (
        <tr key={level.sku}>
          <td>
            <code>{level.sku}</code>
          </td>
          <td>{level.onHand}</td>
          <td>{level.reserved}</td>
          <td>{level.available}</td>
          <td>{level.lowStockThreshold}</td>
          <td>
            <SetOnHand sku={level.sku} save={save} />
          </td>
        </tr>
      ))}
      {unlisted && (
        <tr>
          <td>
            <code>{search}</code>
          </td>
          <td colSpan={4}>No stock kept yet</td>
          <td>
            <SetOnHand sku={search} save={save} />
          </td>
        </tr>
      )}
      {last && page.data?.nextAfter && (
        <tr>
          <td colSpan={6}>
            <button
              type="button"
              className="secondary"
              onClick={() => page.data?.nextAfter && onMore(page.data.nextAfter)}
            >
              Show more
            </button>
          </td>
        </tr>
      )}
    </tbody>
  );
}

function SetOnHand({
  sku,
  save,
}: {
  sku: string;
  save: (sku: string, onHand: number) => Promise<void>;
}) {
  const [onHand, setOnHand] = useState('');
  const saving = useAction(async () => {
    await save(sku, Number(onHand));
    setOnHand('');
  });
  return (
    <form
      className="inline-form"
      onSubmit={(event) => {
        event.preventDefault();
        void saving.run();
      }}
    >
      <input
        type="number"
        min={0}
        aria-label={`Set on hand of ${sku}`}
        value={onHand}
        onChange={(event) => setOnHand(event.target.value)}
      />
      <button type="submit" disabled={onHand === '' || saving.busy}>
        Save<span className="visually-hidden"> {sku}</span>
      </button>
      <Problem error={saving.error} />
    </form>
  );
}
