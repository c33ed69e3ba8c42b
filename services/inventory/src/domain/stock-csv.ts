import { type Pool, withTransaction } from '@bazaar/db/pool';
import { addToOutbox } from '@bazaar/events/outbox';
import {
  type CsvImportReport,
  type CsvProblem,
  csvProblem,
  importReport,
  readCsv,
  writeCsv,
} from '@bazaar/service-kit/csv';
import { selectStocks, upsertStocks } from '../store/stock-store.js';
import type { StockLevel } from './stock.js';
import { stockChangeEvents } from './stock-events.js';

type StockRow = { line: number; sku: string; onHand: number; lowStockThreshold?: number };

/** The columns an import reads; an export's `reserved` and `available` are read as notes. */
const readColumns = ['sku', 'on_hand', 'low_stock_threshold'];
const exportColumns = ['sku', 'on_hand', 'reserved', 'available', 'low_stock_threshold'];
const skuPattern = /^[A-Z0-9]+(-[A-Z0-9]+)*$/;
const maxUnits = 1_000_000;
/** Rows written per transaction: a batch's locks and events, not the whole file's, at once. */
const batchSize = 1000;

/** Every SKU's stock as CSV, in SKU order: the file an import takes back. */
export function stockCsv(levels: readonly StockLevel[]): string {
  return writeCsv(
    exportColumns,
    levels.map((level) => [
      level.sku,
      level.onHand,
      level.reserved,
      level.available,
      level.lowStockThreshold,
    ]),
  );
}

/**
 * Sets on-hand counts (and thresholds) from CSV with a header naming `sku`, `on_hand` and
 * optionally `low_stock_threshold`. Every bad cell is reported by line and column, and a count
 * below what orders hold is one; with any, or on a dry run, nothing is written. Else the rows are
 * written in batches of 1000, one transaction each, and each change announced as `setStock`
 * announces it.
 */
export async function importStockCsv(
  db: Pool,
  text: string,
  options: { dryRun: boolean },
): Promise<CsvImportReport> {
  const { rows, errors } = readStockCsv(text);
  const current = new Map(
    (await selectStocks(db, [...new Set(rows.map((row) => row.sku))])).map((level) => [
      level.sku,
      level,
    ]),
  );
  for (const row of rows) {
    const reserved = current.get(row.sku)?.reserved ?? 0;
    if (row.onHand < reserved) {
      errors.push(csvProblem(row.line, 'on_hand', `is below the ${reserved} units orders hold`));
    }
  }
  const changed = rows.filter((row) => {
    const before = current.get(row.sku);
    return (
      !before ||
      before.onHand !== row.onHand ||
      (row.lowStockThreshold !== undefined && before.lowStockThreshold !== row.lowStockThreshold)
    );
  });
  const report = importReport({
    dryRun: options.dryRun,
    rows: rows.length,
    created: changed.filter((row) => !current.has(row.sku)).length,
    changed: changed.length,
    errors,
  });
  if (options.dryRun || errors.length > 0) return report;
  for (let start = 0; start < changed.length; start += batchSize) {
    await writeBatch(db, changed.slice(start, start + batchSize));
  }
  return report;
}

async function writeBatch(db: Pool, rows: readonly StockRow[]): Promise<void> {
  await withTransaction(db, async (trx) => {
    // Locked first, so no reservation moves between the check and the write.
    const before = new Map(
      (
        await selectStocks(
          trx,
          rows.map((row) => row.sku),
          { forUpdate: true },
        )
      ).map((level) => [level.sku, level]),
    );
    const below = rows.find((row) => row.onHand < (before.get(row.sku)?.reserved ?? 0));
    if (below) {
      throw new Error(
        `${below.sku}: orders came to hold more than ${below.onHand} during the import`,
      );
    }
    const after = await upsertStocks(
      trx,
      rows.map((row) => ({
        sku: row.sku,
        onHand: row.onHand,
        lowStockThreshold:
          row.lowStockThreshold ?? before.get(row.sku)?.lowStockThreshold ?? undefined,
      })),
    );
    await addToOutbox(
      trx,
      ...after.flatMap((level) => stockChangeEvents(before.get(level.sku)?.available, level)),
    );
  });
}

/** The rows of the file, each checked. */
function readStockCsv(text: string): { rows: StockRow[]; errors: CsvProblem[] } {
  const { records, errors } = readCsv(text, {
    of: 'stock',
    required: ['sku', 'on_hand'],
    known: (column) => exportColumns.includes(column),
    columns: readColumns.join(', '),
  });
  const rows: StockRow[] = [];
  const seen = new Map<string, number>();
  for (const { line, cells: record } of records) {
    const sku = record.sku ?? '';
    const onHand = count(record.on_hand);
    const threshold = record.low_stock_threshold ? count(record.low_stock_threshold) : null;
    if (!skuPattern.test(sku))
      errors.push(csvProblem(line, 'sku', 'is not a SKU such as LGT-05-SND'));
    else if (seen.has(sku)) {
      errors.push(csvProblem(line, 'sku', `repeats line ${seen.get(sku)}`));
    } else seen.set(sku, line);
    if (onHand === undefined) {
      errors.push(csvProblem(line, 'on_hand', `is not a whole number from 0 to ${maxUnits}`));
    }
    if (threshold === undefined) {
      errors.push(
        csvProblem(line, 'low_stock_threshold', `is not a whole number from 0 to ${maxUnits}`),
      );
    }
    if (onHand !== undefined && threshold !== undefined) {
      rows.push({ line, sku, onHand, ...(threshold !== null && { lowStockThreshold: threshold }) });
    }
  }
  return { rows, errors };
}

function count(cell: string | undefined): number | undefined {
  if (!cell || !/^\d+$/.test(cell)) return undefined;
  const value = Number(cell);
  return value <= maxUnits ? value : undefined;
}
