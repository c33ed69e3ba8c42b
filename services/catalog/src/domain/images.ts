import { createHash } from 'node:crypto';
import { imageSize } from 'image-size';
import { CatalogError } from './errors.js';

/** What the shop accepts, told from the first bytes of the file, never from its name. */
const kinds = [
  { extension: 'jpg', type: 'image/jpeg', magic: (b: Buffer) => b.subarray(0, 3).equals(jpeg) },
  { extension: 'png', type: 'image/png', magic: (b: Buffer) => b.subarray(0, 8).equals(png) },
  {
    extension: 'webp',
    type: 'image/webp',
    magic: (b: Buffer) =>
      b.subarray(0, 4).toString('latin1') === 'RIFF' &&
      b.subarray(8, 12).toString('latin1') === 'WEBP',
  },
] as const;
const jpeg = Buffer.from([0xff, 0xd8, 0xff]);
const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

export const maxImageBytes = 5 * 1024 * 1024;
/** The pictures a product's gallery holds at most. */
export const maxProductImages = 10;
/** How an image is cached: its name is its content, so it never changes. */
export const immutableCaching = 'public, max-age=31536000, immutable';
/** The longest side an image may have; larger ones are refused rather than stored. */
export const maxImageSide = 4000;

export type CheckedImage = { name: string; type: string };

/**
 * The name a product image is stored and served under (its content's hash, so that it never
 * changes and may be cached for a year) after checking it is a JPEG, PNG or WebP of at most 5 MB
 * and 4000 px a side: a 422 naming `image` otherwise.
 */
export function checkImage(bytes: Buffer): CheckedImage {
  const refuse = (message: string): never => {
    throw new CatalogError('invalid_image', `The image ${message}`, {
      errors: [{ field: 'image', in: 'body', message }],
    });
  };
  if (bytes.length === 0) refuse('is empty');
  if (bytes.length > maxImageBytes) refuse(`is larger than ${maxImageBytes / 1024 / 1024} MB`);
  const kind = kinds.find((candidate) => candidate.magic(bytes));
  if (!kind) return refuse('is not a JPEG, PNG or WebP file');
  let size: { width?: number; height?: number };
  try {
    size = imageSize(bytes);
  } catch {
    return refuse(`is not a readable ${kind.extension.toUpperCase()} file`);
  }
  const { width = 0, height = 0 } = size;
  if (width < 1 || height < 1) refuse('has no size');
  if (width > maxImageSide || height > maxImageSide) {
    refuse(`is ${width}×${height} px; at most ${maxImageSide} px a side`);
  }
  const hash = createHash('sha256').update(bytes).digest('hex').slice(0, 32);
  return { name: `${hash}.${kind.extension}`, type: kind.type };
}

/** The content type of a stored image, from the extension its name was given. */
export function imageType(name: string): string | undefined {
  return kinds.find((kind) => name.endsWith(`.${kind.extension}`))?.type;
}

/** Where the shop serves a stored image (the gateway routes it to catalog). */
export const imagePath = (name: string) => `/media/${name}`;
