/**
 * The values of a query built from optional parts: each value is added where the SQL needs it and
 * comes back as its placeholder (`$1`, `$2`…), so placeholders and values never fall out of step.
 */
export class SqlParams {
  readonly values: unknown[] = [];

  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}
