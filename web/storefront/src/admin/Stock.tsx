import type { StockImportReport, StockLevel } from '@bazaar/contracts/shop-api';
import { useState } from 'react';
import { api } from '../api';
import { Problem, useAction, useApi } from '../ui';

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
      <StockFile />
    </>
  );
}

/** Every SKU's stock as a CSV file: downloaded, changed in a spreadsheet, checked, imported. */
function StockFile() {
  const [file, setFile] = useState<File>();
  const [report, setReport] = useState<StockImportReport>();
  const download = useAction(async () => {
    const csv = await api<string>('/api/admin/inventory/export');
    const link = document.createElement('a');
    link.href = URL.createObjectURL(new Blob([csv], { type: 'text/csv' }));
    link.download = 'stock.csv';
    link.click();
    URL.revokeObjectURL(link.href);
  });
  const send = useAction(async (dryRun: boolean) => {
    if (!file) return;
    setReport(undefined);
    setReport(
      await api<StockImportReport>(`/api/admin/inventory/import${dryRun ? '?dryRun=true' : ''}`, {
        method: 'POST',
        headers: { 'content-type': 'text/csv' },
        text: await file.text(),
      }),
    );
  });
  return (
    <section aria-labelledby="stock-file">
      <h2 id="stock-file">Stock as a file</h2>
      <p className="hint">
        Columns <code>sku</code>, <code>on_hand</code> and, optionally,{' '}
        <code>low_stock_threshold</code>. Check a file first: nothing is written until every row is
        right.
      </p>
      <button type="button" disabled={download.busy} onClick={() => void download.run()}>
        Download stock.csv
      </button>
      <div className="toolbar">
        <label htmlFor="stock-file-input">Stock file (CSV)</label>
        <input
          id="stock-file-input"
          type="file"
          accept=".csv,text/csv"
          onChange={(event) => {
            setFile(event.target.files?.[0]);
            setReport(undefined);
          }}
        />
        <button type="button" disabled={!file || send.busy} onClick={() => void send.run(true)}>
          Check the file
        </button>
        <button
          type="button"
          disabled={!file || send.busy || !report || report.errors.length > 0 || !report.dryRun}
          onClick={() => void send.run(false)}
        >
          Import
        </button>
      </div>
      <Problem error={download.error ?? send.error} />
      {report && (
        <p role="status">
          {report.rows} rows: {report.created} new, {report.updated} changed, {report.unchanged}{' '}
          unchanged.{' '}
          {report.errors.length > 0
            ? `${report.errors.length} problems; nothing was written.`
            : report.dryRun
              ? 'The file is right: import it to write it.'
              : 'Imported.'}
        </p>
      )}
      {report && report.errors.length > 0 && (
        <table>
          <caption>Problems in the file</caption>
          <thead>
            <tr>
              <th scope="col">Line</th>
              <th scope="col">Column</th>
              <th scope="col">Problem</th>
            </tr>
          </thead>
          <tbody>
            {report.errors.map((error) => (
              <tr key={`${error.line} ${error.column}`}>
                <td>{error.line}</td>
                <td>{error.column}</td>
                <td>{error.message}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
