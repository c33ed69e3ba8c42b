import type { ProductListing } from '@bazaar/contracts/shop-api';
import { Link, useSearchParams } from 'react-router';
import { Loading, Price, Problem, useApi } from '../ui';
import { CsvFile } from './CsvFile';

/** Every product, drafts and archived ones too, searchable and filtered by status. */
export function Products() {
  const [params, setParams] = useSearchParams();
  const q = params.get('q') ?? '';
  const status = params.get('status') ?? 'any';
  const cursor = params.get('cursor') ?? '';
  const query = new URLSearchParams({
    status,
    limit: '25',
    ...(q ? { q } : {}),
    ...(cursor ? { cursor } : {}),
  });
  const list = useApi<ProductListing>(`/api/admin/products?${query}`);
  return (
    <>
      <div className="toolbar">
        <label htmlFor="admin-q">Search</label>
        <input
          id="admin-q"
          type="search"
          value={q}
          onChange={(event) => setParams({ q: event.target.value, status }, { replace: true })}
        />
        <label htmlFor="admin-status">Status</label>
        <select
          id="admin-status"
          value={status}
          onChange={(event) => setParams({ q, status: event.target.value })}
        >
          {['any', 'active', 'draft', 'archived'].map((value) => (
            <option key={value}>{value}</option>
          ))}
        </select>
        <Link className="button" to="/admin/products/new">
          New product
        </Link>
      </div>
      <Problem error={list.error} />
      {!list.data ? (
        <Loading />
      ) : (
        <table>
          <thead>
            <tr>
              <th>Name</th>
              <th>Status</th>
              <th>From</th>
              <th>Variants</th>
            </tr>
          </thead>
          <tbody>
            {list.data.items.map((product) => (
              <tr key={product.id}>
                <td>
                  <Link to={`/admin/products/${product.id}`}>{product.name}</Link>
                </td>
                <td>{product.status}</td>
                <td>
                  <Price money={product.price} />
                </td>
                <td>{product.variantCount}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {list.data?.nextCursor && (
        <Link
          to={`/admin/products?${new URLSearchParams({ q, status, cursor: list.data.nextCursor })}`}
        >
          Next →
        </Link>
      )}
      <CsvFile
        title="Products as a file"
        fileName="products.csv"
        label="Products file (CSV)"
        exportPath="/api/admin/products/export"
        importPath="/api/admin/products/import"
      >
        A row per variant: <code>product</code> (its slug) and <code>sku</code>, then any of{' '}
        <code>options</code> (<code>Size: M; Colour: Sand</code>), a <code>price_usd</code>,{' '}
        <code>price_eur</code>… column per currency in minor units (cents), <code>name</code>,{' '}
        <code>category</code>, <code>status</code>, <code>images</code> and <code>description</code>
        . A cell left empty keeps what the shop has.
      </CsvFile>
    </>
  );
}
