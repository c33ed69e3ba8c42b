import { assertMigrated } from '@bazaar/db/migrations';
import { createPool, type Pool } from '@bazaar/db/pool';
import type { BusConfig } from '@bazaar/events/bus';
import type { CloudEvent } from '@bazaar/events/cloud-event';
import type { EventHandlers } from '@bazaar/events/inbox';
import { startServiceEvents } from '@bazaar/events/service-events';
import type { FastifyInstance } from 'fastify';
import { type BootWarnings, bootWarnings } from './boot-warnings.js';
import { runService } from './serve.js';

type DatabaseServiceConfig = BusConfig & {
  readonly DATABASE_URL: string;
  readonly PORT: number;
  readonly METRICS_PORT: number;
  readonly HOST: string;
  readonly SHUTDOWN_DRAIN_MS: number;
  readonly SHUTDOWN_TIMEOUT_MS: number;
};

/** What a service with a database makes of its settings, its pool and the start-up warnings. */
export type DatabaseServiceParts = {
  app: FastifyInstance;
  /** False for a service that publishes nothing (it has no outbox table). */
  publishes?: boolean;
  handlers?: EventHandlers;
  afterApplied?: (event: CloudEvent) => Promise<void>;
  /** What else the service holds open (Redis, SMTP), closed after its events stop, before the pool. */
  close?: () => Promise<void>;
};

export type DatabaseServiceOptions<Config extends DatabaseServiceConfig> = {
  readConfig: () => Config;
  migrations: readonly URL[];
  build: (context: {
    config: Config;
    db: Pool;
    /** Where a dependency's errors go before the app, and so its log, exists. */
    warnings: BootWarnings;
  }) => Promise<DatabaseServiceParts>;
};

/**
 * Starts a service that owns a database: its settings, its pool (an idle connection's failure at
 * any time a warning, never fatal), the check that its migrations are applied, its app, its part
 * in the events (the outbox relay, its consumer); on close, the events, then what else it holds,
 * then the pool.
 */
export async function startDatabaseService<Config extends DatabaseServiceConfig>(
  name: string,
  options: DatabaseServiceOptions<Config>,
): Promise<{ app: FastifyInstance; config: Config }> {
  const config = options.readConfig();
  const warnings = bootWarnings(name);
  const db = createPool(config.DATABASE_URL, {
    applicationName: name,
    onIdleClientError: (error) => warnings.warn(error, 'idle database connection failed'),
  });
  await assertMigrated(db, options.migrations);
  const parts = await options.build({ config, db, warnings });
  const { app } = parts;
  warnings.attach(app.log);
  const stopEvents = await startServiceEvents({
    name,
    config,
    db,
    log: app.log,
    metrics: app.metrics,
    ...(parts.publishes === false ? { publishes: false } : {}),
    ...(parts.handlers ? { handlers: parts.handlers } : {}),
    ...(parts.afterApplied ? { afterApplied: parts.afterApplied } : {}),
  });
  app.addHook('onClose', async () => {
    await stopEvents();
    await parts.close?.();
    await db.end();
  });
  return { app, config };
}

/** Runs a service that owns a database as a process (`runService`): what each `main.ts` calls. */
export function runDatabaseService<Config extends DatabaseServiceConfig>(
  name: string,
  options: DatabaseServiceOptions<Config>,
): Promise<void> {
  return runService(name, () => startDatabaseService(name, options));
}
