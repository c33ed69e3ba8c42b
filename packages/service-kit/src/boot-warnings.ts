import type { FastifyBaseLogger } from 'fastify';

export type BootWarnings = {
  /** Logs a dependency's error as a warning: the process goes on (the dependency reconnects). */
  warn: (error: unknown, message: string) => void;
  /** From now on, warnings go to the app's log. */
  attach: (log: FastifyBaseLogger) => void;
};

/**
 * Warnings from what a service connects to before its app (and so its log) exists: a pool's idle
 * connection or Redis failing during start-up is printed as a JSON log line, never thrown (a
 * handler that reached for the app's log then crashed the process).
 */
export function bootWarnings(service: string): BootWarnings {
  let log: FastifyBaseLogger | undefined;
  return {
    warn: (error, message) => {
      if (log) {
        log.warn({ err: error }, message);
        return;
      }
      const line = {
        level: 40,
        time: new Date().toISOString(),
        service,
        err:
          error instanceof Error
            ? { type: error.name, message: error.message }
            : { message: String(error) },
        msg: message,
      };
      process.stdout.write(`${JSON.stringify(line)}\n`);
    },
    attach: (appLog) => {
      log = appLog;
    },
  };
}
