import { memoryOf } from './stack.js';

export type MemoryFigures = {
  /** RSS per process name in MB (PostgreSQL: the PSS of all its processes, which share memory). */
  byProcess: Record<string, number>;
  /** PSS of every process of the shop together, PostgreSQL included, in MB. */
  wholeStack: number;
};

/** The memory of the shop's processes now. */
export function measureMemory(processes: Map<string, number[]>): MemoryFigures {
  const byProcess: Record<string, number> = {};
  let wholeStack = 0;
  for (const [name, pids] of processes) {
    const figures = pids.map(memoryOf);
    const pss = figures.reduce((sum, figure) => sum + figure.pss, 0);
    byProcess[name] = Math.round(pids.length > 1 ? pss : (figures[0]?.rss ?? 0));
    wholeStack += pss;
  }
  return { byProcess, wholeStack: Math.round(wholeStack) };
}

/** Samples memory every 250 ms while `work` runs and keeps each process's highest figure. */
export async function peakMemoryDuring<T>(
  processes: () => Map<string, number[]>,
  work: () => Promise<T>,
): Promise<{ result: T; peak: MemoryFigures }> {
  const peak: MemoryFigures = { byProcess: {}, wholeStack: 0 };
  const sample = () => {
    const now = measureMemory(processes());
    for (const [name, value] of Object.entries(now.byProcess)) {
      peak.byProcess[name] = Math.max(peak.byProcess[name] ?? 0, value);
    }
    peak.wholeStack = Math.max(peak.wholeStack, now.wholeStack);
  };
  const timer = setInterval(sample, 250);
  try {
    const result = await work();
    sample();
    return { result, peak };
  } finally {
    clearInterval(timer);
  }
}
