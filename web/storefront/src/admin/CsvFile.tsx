import type { ImportReport } from '@bazaar/contracts/shop-api';
import { type ReactNode, useId, useState } from 'react';
import { api } from '../api';
import { Problem, useAction } from '../ui';

/**
 * A CSV export downloaded, changed in a spreadsheet, checked (every bad cell shown by line and
 * column) and only then imported. `children` say what the columns are.
 */
export function CsvFile(props: {
  title: string;
  fileName: string;
  label: string;
  exportPath: string;
  importPath: string;
  children: ReactNode;
}) {
  const id = useId();
  const [file, setFile] = useState<File>();
  const [report, setReport] = useState<ImportReport>();
  const download = useAction(async () => {
    const csv = await api<string>(props.exportPath);
    const link = document.createElement('a');
    link.href = URL.createObjectURL(new Blob([csv], { type: 'text/csv' }));
    link.download = props.fileName;
    link.click();
    URL.revokeObjectURL(link.href);
  });
  const send = useAction(async (dryRun: boolean) => {
    if (!file) return;
    setReport(undefined);
    setReport(
      await api<ImportReport>(`${props.importPath}${dryRun ? '?dryRun=true' : ''}`, {
        method: 'POST',
        headers: { 'content-type': 'text/csv' },
        text: await file.text(),
      }),
    );
  });
  return (
    <section aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{props.title}</h2>
      <p className="hint">
        {props.children} Check a file first: nothing is written until every row is right.
      </p>
      <button type="button" disabled={download.busy} onClick={() => void download.run()}>
        Download {props.fileName}
      </button>
      <div className="toolbar">
        <label htmlFor={`${id}-input`}>{props.label}</label>
        <input
          id={`${id}-input`}
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
              <tr key={`${error.line} ${error.column} ${error.message}`}>
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
