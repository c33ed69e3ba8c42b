import { describe, expect, test } from 'vitest';
import { type EnvironmentSpec, monthlyCost, planRate, type ServiceSpec } from '../src/capacity.js';

/** orders as prod runs it: a quarter of a core asked, 3 to 20 replicas held at 70 % CPU. */
const orders: ServiceSpec = {
  name: 'orders',
  cpuRequest: 0.25,
  memoryRequestMb: 192,
  minReplicas: 3,
  maxReplicas: 20,
  targetUtilisation: 0.7,
};
const measured = { cpuMsPerJourney: { orders: 8.3, postgres: 23.5 } };

describe('the plan for a rate of orders', () => {
  test('1,000 orders/s: orders needs 8.3 cores, 48 replicas at 70 % of a quarter core, more than its autoscaler allows; 4 nodes; PostgreSQL on the largest class', () => {
    const plan = planRate(1000, measured, [orders]);
    expect(plan.services).toEqual([{ name: 'orders', cores: 8.3, replicas: 48, capped: true }]);
    // 48 × 0.25 = 12 CPUs on nodes of 3.8: 4 (the memory, 48 × 192 MB, fits in one).
    expect(plan.serviceNodes).toBe(4);
    // 23.5 cores at 60 %: 39.2 vCPUs, more than 32.
    expect(plan.databaseCores).toBeCloseTo(23.5);
    expect(plan.databaseClass).toBe('db.r7g.16xlarge');
  });

  test('100 orders/s: 5 replicas within the autoscaler, 1 node, PostgreSQL on 4 vCPUs', () => {
    const plan = planRate(100, measured, [orders]);
    expect(plan.services).toEqual([
      { name: 'orders', cores: expect.closeTo(0.83), replicas: 5, capped: false },
    ]);
    expect(plan.serviceNodes).toBe(1);
    expect(plan.databaseClass).toBe('db.r7g.xlarge');
  });

  test('no orders: every service at its minimum', () => {
    expect(planRate(0, measured, [orders]).services[0]?.replicas).toBe(3);
  });
});

describe('a month', () => {
  const prod: EnvironmentSpec = {
    name: 'prod',
    nodeInstanceType: 'm7i.large',
    nodeMin: 3,
    dbInstanceClass: 'db.r7g.large',
    dbStorageGb: 100,
    dbMultiAz: true,
    redisNodeType: 'cache.r7g.large',
    redisReplicas: 2,
    natPerZone: true,
  };

  test('each line is its hourly price × 730 hours, Spot at 35 %, a Multi-AZ database twice', () => {
    const lines = monthlyCost(prod, 4);
    expect(lines.map((line) => line.monthly)).toEqual([
      73, // EKS: 0.10 × 730
      246, // 3 × 0.1123 × 730
      230, // 4 × 0.2246 × 0.35 × 730
      402, // 2 × 0.258 × 730 = 377, and 2 × 100 GB × 0.127 = 25
      530, // 3 × 0.242 × 730
      105, // 3 × 0.048 × 730
      18, // 0.0252 × 730
    ]);
    expect(lines[3]?.detail).toBe('db.r7g.large Multi-AZ, 100 GB');
  });

  test('a class without a recorded price is named, not priced at nothing', () => {
    expect(() => monthlyCost({ ...prod, redisNodeType: 'cache.x9.huge' }, 1)).toThrow(
      'no price for cache.x9.huge',
    );
  });
});
