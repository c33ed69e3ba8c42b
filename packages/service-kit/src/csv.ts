import { CsvError, parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { type TSchema, Type } from 'typebox';
import type { ServiceApp } from './app.js';
import { DomainError } from './errors.js';

/** A bad cell of an imported file: its line (the header is line 1), its column, what is wrong. */
export type CsvProblem = { line: number; column: string; message: string };

/** What an import found (and, unless a dry run or with any problem, wrote). */
export type CsvImportReport = {
  dryRun: boolean;
  rows: number;
  created: number;
  updated: number;
  unchanged: number;
  errors: CsvProblem[];
};

/** The report of an import that read `rows`, of which `changed` change something (`created` are new). */
export function importReport(counts: {
  dryRun: boolean;
  rows: number;
  created: number;
  changed: number;
  errors: CsvProblem[];
}): CsvImportReport {
  return {
    dryRun: counts.dryRun,
    rows: counts.rows,
    created: counts.created,
    updated: counts.changed - counts.created,
    unchanged: counts.rows - counts.changed,
    errors: counts.errors.sort((a, b) => a.line - b.line),
  };
}

/** A data row, its cells by lower-case column name. */
export type CsvRecord = { line: number; cells: Record<string, string> };

export const csvProblem = (line: number, column: string, message: string): CsvProblem => ({
  line,
  column,
  message,
});

/**
 * The rows of a CSV file with a header, cells trimmed (and a formula `writeCsv` defused given
 * back as it was); a header missing a `required` column or naming one that is not `known` is a
 * problem on line 1, and a file that is not CSV is one problem where it breaks. `columns` says in
 * words what the known columns of `of` are.
 */
export function readCsv(
  text: string,
  header: {
    of: string;
    required: readonly string[];
    known: (column: string) => boolean;
    columns: string;
  },
): { records: CsvRecord[]; columns: string[]; errors: CsvProblem[] } {
  let parsed: Array<{ record: Record<string, string>; info: { lines: number } }>;
  try {
    parsed = parse(text, {
      columns: (names: string[]) => names.map((name) => name.trim().toLowerCase()),
      bom: true,
      trim: true,
      skip_empty_lines: true,
      info: true,
    });
  } catch (error) {
    if (!(error instanceof CsvError)) throw error;
    const at = error as CsvError & { lines?: number; column?: string | number };
    return {
      records: [],
      columns: [],
      errors: [csvProblem(at.lines ?? 1, String(at.column ?? ''), error.message)],
    };
  }
  const columns = Object.keys(parsed[0]?.record ?? {});
  const errors: CsvProblem[] = [];
  if (parsed.length > 0) {
    for (const name of header.required) {
      if (!columns.includes(name))
        errors.push(csvProblem(1, name, 'is a column the file must have'));
    }
  }
  for (const name of columns) {
    if (!header.known(name))
      errors.push(csvProblem(1, name, `is not a column of ${header.of}: ${header.columns}`));
  }
  if (errors.length > 0) return { records: [], columns, errors };
  return {
    records: parsed.map(({ record, info }) => ({
      line: info.lines,
      cells: Object.fromEntries(
        Object.entries(record).map(([column, cell]) => [column, cell.replace(defusedFormula, '')]),
      ),
    })),
    columns,
    errors,
  };
}

/**
 * A spreadsheet runs a cell that starts with one of these as a formula (`=HYPERLINK(…)` in a
 * product name an admin opens): such a text cell is written behind a `'`, which spreadsheets
 * show as text, and read back without it (OWASP's advice on CSV injection).
 */
const formulaStarts = '[=+\\-@\\t\\r]';
const formulaStart = new RegExp(`^${formulaStarts}`);
const defusedFormula = new RegExp(`^'(?=${formulaStarts})`);

/** Rows as CSV text with a header line, quoted where a cell needs it, formulas defused. */
export function writeCsv(
  header: readonly string[],
  rows: ReadonlyArray<ReadonlyArray<string | number>>,
): string {
  return stringify([
    header,
    ...rows.map((row) =>
      row.map((cell) => (typeof cell === 'string' && formulaStart.test(cell) ? `'${cell}` : cell)),
    ),
  ]);
}

/**
 * An admin's export (`GET exportPath`, a CSV download named `fileName`) and import (`POST
 * importPath`, a `text/csv` body, `?dryRun=true` to check only). An import with problems writes
 * nothing and answers 422 `invalid_import` naming each (field = column, with its line); a dry run
 * answers 200 with its report either way.
 */
export function csvRoutes(
  app: ServiceApp,
  routes: {
    adminOnly: (request: FastifyRequest, reply: FastifyReply) => Promise<void>;
    what: string;
    exportPath: string;
    importPath: string;
    fileName: string;
    importColumns: string;
    report: TSchema;
    exportCsv: () => Promise<string>;
    importCsv: (text: string, options: { dryRun: boolean }) => Promise<CsvImportReport>;
  },
): void {
  app.addContentTypeParser('text/csv', { parseAs: 'string' }, (_request, body, done) =>
    done(null, body),
  );
  app.get(
    routes.exportPath,
    {
      onRequest: routes.adminOnly,
      schema: { summary: `Every ${routes.what} as CSV`, tags: ['admin'], produces: ['text/csv'] },
    },
    async (_request, reply) =>
      reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="${routes.fileName}"`)
        .send(await routes.exportCsv()),
  );
  app.post(
    routes.importPath,
    {
      onRequest: routes.adminOnly,
      // 10,000 rows are a few megabytes at most; a whole warehouse's file fits.
      bodyLimit: 16 * 1024 * 1024,
      schema: {
        summary: `Upsert ${routes.what} from CSV (${routes.importColumns}); ?dryRun=true checks and reports without writing`,
        tags: ['admin'],
        consumes: ['text/csv'],
        querystring: Type.Object(
          { dryRun: Type.Optional(Type.Boolean()) },
          { additionalProperties: false },
        ),
        body: Type.String(),
        response: { 200: routes.report },
      },
    },
    async (request) => {
      const { dryRun = false } = request.query as { dryRun?: boolean };
      const report = await routes.importCsv(request.body as string, { dryRun });
      if (!report.dryRun && report.errors.length > 0) {
        throw new DomainError(
          'invalid_import',
          `${report.errors.length} cells of the file are wrong; nothing was written`,
          {
            errors: report.errors.map(({ line, column, message }) => ({
              field: column,
              in: 'body',
              line,
              message,
            })),
          },
        );
      }
      return report;
    },
  );
}
