/**
 * The migration sets of a service's database, given the service's top directory in a checkout or
 * an image (`services/<name>/`): its own, then the event tables' (`packages/events/migrations/`),
 * which every service keeps alike.
 */
export function serviceMigrations(serviceDirectory: URL): URL[] {
  return [
    new URL('migrations/', serviceDirectory),
    new URL('../../packages/events/migrations/event-tables/', serviceDirectory),
  ];
}
