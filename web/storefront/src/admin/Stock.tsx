import type { StockLevel } from '@bazaar/contracts/shop-api';
import { useState } from 'react';
import { api } from '../api';
import { Problem, useAction, useApi } from '../ui';
import { CsvFile } from './CsvFile';

/** A SKU's stock looked up and its count on hand set (after a delivery or a count). */
export function Stock() {
  const [sku, setSku] = useState('');
  const [shown, setShown] = useState<string>();
  const level = useApi<StockLevel>(
    shown ? `/api/admin/inventory/${encodeURIComponent(shown)}` : undefined,
  );
  const [onHand, setOnHand] = useState('');
  const save = useAction(async () => {
    await api(`/api/admin/inventory/${encodeURIComponent(sku)}`, {
      method: 'PUT',
      body: { onHand: Number(onHand) },
    });
    setShown(sku);
    await level.reload();
  });
  return (
    <>
      <form
        className="toolbar"
        onSubmit={(event) => {
          event.preventDefault();
          setShown(sku);
        }}
      >
        <label htmlFor="stock-sku">SKU</label>
        <input
          id="stock-sku"
          value={sku}
          onChange={(event) => setSku(event.target.value.toUpperCase())}
        />
        <button type="submit">Look up</button>
      </form>
      <Problem error={level.error} />
      {level.data && (
        <p>
          {level.data.sku}: {level.data.onHand} on hand, {level.data.reserved} held for orders,{' '}
          {level.data.available} available (low below {level.data.lowStockThreshold})
        </p>
      )}
      <form
        className="toolbar"
        onSubmit={(event) => {
          event.preventDefault();
          void save.run();
        }}
      >
        <label htmlFor="stock-on-hand">Set on hand to</label>
        <input
          id="stock-on-hand"
          type="number"
          min={0}
          value={onHand}
          onChange={(event) => setOnHand(event.target.value)}
        />
        <button type="submit" disabled={!sku || onHand === '' || save.busy}>
          Save
        </button>
      </form>
      <Problem error={save.error} />
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
