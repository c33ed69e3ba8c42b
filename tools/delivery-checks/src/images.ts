/**
 * An image reference fixed to one release: a digest, or a tag naming a version down to the minor
 * (`postgres:18.1`, `node:24.21.0-bookworm-slim`, `prom/prometheus:v3.7.3`), never `latest` or a
 * bare major.
 */
export function isPinnedImage(image: string): boolean {
  return /@sha256:[0-9a-f]{64}$/.test(image) || /:v?\d+\.\d+(\.\d+)?([-.][\w.-]+)?$/.test(image);
}
