import { parse, stringify } from 'yaml';

/** One objective of deploy/observability/slos.yaml. */
export type Slo = {
  /** Lower-case words with dashes: the `slo` label and the runbook's heading. */
  name: string;
  /** The alerts' name before `BudgetBurnFast`/`BudgetBurnSlow`. */
  alert: string;
  description: string;
  /** Percent of events that must be good over the window. */
  objective: number;
  /** PromQL over a range written `[$window]`: bad events per second, and all of them. */
  errors: string;
  total: string;
};

/**
 * The Site Reliability Workbook's multi-window, multi-burn-rate alerts: each fires when the
 * budget burns at a rate that would spend `share` percent of it within `long`, judged over `long`
 * and over `short` too, so that it stops soon after the burn stops. For a 30-day window these are
 * the workbook's burn rates 14.4, 6, 3 and 1.
 */
const burns = [
  {
    speed: 'Fast',
    severity: 'page',
    pairs: [
      { share: 2, long: '1h', short: '5m' },
      { share: 5, long: '6h', short: '30m' },
    ],
  },
  {
    speed: 'Slow',
    severity: 'ticket',
    pairs: [
      { share: 10, long: '1d', short: '2h' },
      { share: 10, long: '3d', short: '6h' },
    ],
  },
] as const;

const hoursIn = (duration: string): number => {
  const match = /^(\d+)([mhd])$/.exec(duration);
  if (!match) throw new Error(`window: expected a duration such as 30d, got ${duration}`);
  return Number(match[1]) / { m: 60, h: 1, d: 1 / 24 }[match[2] as 'm' | 'h' | 'd'];
};

/** The problems of an SLO file, one line each: empty when the rules can be generated from it. */
export function sloFileViolations(file: { window?: unknown; slos?: Slo[] }): string[] {
  const problems: string[] = [];
  if (typeof file.window !== 'string' || !/^\d+d$/.test(file.window)) {
    problems.push(`window: expected whole days such as 30d, got ${String(file.window)}`);
  }
  const names = new Set<string>();
  for (const [index, slo] of (file.slos ?? []).entries()) {
    const at = `slos[${index}]`;
    if (!/^[a-z]+(-[a-z]+)*$/.test(slo.name ?? '')) problems.push(`${at}.name: lower-case words`);
    if (names.has(slo.name)) problems.push(`${at}.name: ${slo.name} is named twice`);
    names.add(slo.name);
    if (!/^[A-Z][A-Za-z]+$/.test(slo.alert ?? '')) problems.push(`${at}.alert: PascalCase`);
    if (!(typeof slo.objective === 'number' && slo.objective > 0 && slo.objective < 100)) {
      problems.push(`${at}.objective: a percentage between 0 and 100, got ${slo.objective}`);
    }
    for (const field of ['errors', 'total'] as const) {
      if (!String(slo[field] ?? '').includes('[$window]')) {
        problems.push(`${at}.${field}: a range written [$window] is missing`);
      }
    }
  }
  if (names.size === 0) problems.push('slos: none');
  return problems;
}

/**
 * The PrometheusRule of slos.yaml's text: for each SLO, its error ratio recorded over every window
 * an alert reads, and a fast burn (page) and a slow one (ticket).
 */
export function sloRules(text: string, runbook: string): string {
  const file = parse(text) as { window: string; slos: Slo[] };
  const problems = sloFileViolations(file);
  if (problems.length > 0) throw new Error(`slos.yaml: ${problems.join('; ')}`);
  const windowHours = hoursIn(file.window);
  const windows = [
    ...new Set(burns.flatMap(({ pairs }) => pairs.flatMap((pair) => [pair.short, pair.long]))),
  ].sort((a, b) => hoursIn(a) - hoursIn(b));
  const groups = file.slos.map((slo) => {
    // Thousandths of a percent: 99.9 gives 0.001, not 0.0009999999999994.
    const budget = Math.round((100 - slo.objective) * 1000) / 100_000;
    const ratio = (window: string) => `slo:error_ratio:rate${window}{slo="${slo.name}"}`;
    const over = (query: string, window: string) => query.trim().replaceAll('$window', window);
    return {
      name: `bazaar-slo-${slo.name}`,
      rules: [
        ...windows.map((window) => ({
          record: `slo:error_ratio:rate${window}`,
          expr: `(${over(slo.errors, window)})\n/\n(${over(slo.total, window)})\n`,
          labels: { slo: slo.name },
        })),
        ...burns.map(({ speed, severity, pairs }) => ({
          alert: `${slo.alert}BudgetBurn${speed}`,
          expr: `${pairs
            .map(({ share, long, short }) => {
              const threshold = `(${(share * windowHours) / (100 * hoursIn(long))} * ${budget})`;
              return `(\n  ${ratio(long)} > ${threshold}\n  and\n  ${ratio(short)} > ${threshold}\n)`;
            })
            .join('\nor\n')}\n`,
          labels: { severity, slo: slo.name },
          annotations: {
            summary: `${slo.description[0]?.toUpperCase()}${slo.description.slice(1)} (${slo.objective}% over ${file.window}): at this rate the error budget loses ${pairs.map(({ share, long }) => `${share}% within ${long}`).join(' or ')}.`,
            runbook_url: `${runbook}#${slo.name}`,
          },
        })),
      ],
    };
  });
  return `# Generated from slos.yaml by tools/delivery-checks/src/slo.ts: edit that file, not this one.\n${stringify(
    {
      apiVersion: 'monitoring.coreos.com/v1',
      kind: 'PrometheusRule',
      metadata: { name: 'bazaar-slos' },
      spec: { groups },
    },
    { lineWidth: 0 },
  )}`;
}
