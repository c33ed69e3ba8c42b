const levels: Record<number, string> = {
  10: 'trace',
  20: 'debug',
  30: 'info ',
  40: 'warn ',
  50: 'error',
  60: 'fatal',
};
const hidden = new Set(['level', 'time', 'msg', 'service', 'pid', 'hostname']);

/**
 * One line of a child's output, prefixed with its name; a pino JSON line is shortened to
 * `time level message {other fields}` so a terminal stays readable.
 */
export function formatLine(name: string, line: string): string {
  const prefix = name.padEnd(9);
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(line);
  } catch {
    return `${prefix} | ${line}`;
  }
  if (typeof entry !== 'object' || entry === null) return `${prefix} | ${line}`;
  const time = typeof entry.time === 'string' ? entry.time.slice(11, 23) : '';
  const level = levels[Number(entry.level)] ?? 'info ';
  const rest = Object.fromEntries(Object.entries(entry).filter(([key]) => !hidden.has(key)));
  const fields = Object.keys(rest).length > 0 ? ` ${JSON.stringify(rest)}` : '';
  return `${prefix} | ${time} ${level} ${String(entry.msg ?? '')}${fields}`;
}
