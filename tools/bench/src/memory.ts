import { memoryOf } from './stack.js';

export type MemoryFigures = {
  /** RSS per process name in MB (PostgreSQL: the PSS of all its processes, which share memory). */
  byProcess: Record<string, number>;
  /** PSS of every process of the shop together, PostgreSQL included, in MB. */
  wholeStack: number;
};

/** The memory of the shop's processes now; with `peak`, each process's highest RSS so far. */
export function measureMemory(processes: Map<string, number[]>, peak = false): MemoryFigures {
  const byProcess: Record<string, number> = {};
  let wholeStack = 0;
  for (const [name, pids] of processes) {
    const figures = pids.map(memoryOf);
    const pss = figures.reduce((sum, figure) => sum + figure.pss, 0);
    const single = figures[0];
    byProcess[name] = Math.round(
      pids.length > 1 ? pss : ((peak ? single?.peakRss : single?.rss) ?? 0),
    );
    wholeStack += pss;
  }
  return { byProcess, wholeStack: Math.round(wholeStack) };
}

/**
 * Runs `work`, then reads each process's highest RSS, and samples the whole stack's PSS every 2 s
 * meanwhile (reading PSS costs the kernel a walk of each process's memory map, so not more often).
 */
export async function peakMemoryDuring<T>(
  processes: () => Map<string, number[]>,
  work: () => Promise<T>,
): Promise<{ result: T; peak: MemoryFigures }> {
  let wholeStack = 0;
  const sample = () => {
    wholeStack = Math.max(wholeStack, measureMemory(processes()).wholeStack);
  };
  const timer = setInterval(sample, 2000);
  try {
    const result = await work();
    sample();
    return { result, peak: { ...measureMemory(processes(), true), wholeStack } };
  } finally {
    clearInterval(timer);
  }
}
