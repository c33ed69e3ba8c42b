import { mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { immutableCaching } from '../domain/images.js';

/** Where product images are kept: a bucket through the S3 API, or a directory on a laptop. */
export type ImageStore = {
  put: (name: string, bytes: Buffer, type: string) => Promise<void>;
  /** The image's bytes, or undefined when there is none by that name. */
  get: (name: string) => Promise<Buffer | undefined>;
  has: (name: string) => Promise<boolean>;
};

/**
 * A bucket through the S3 API: AWS's, with the pod's credentials (Pod Identity), or an
 * S3-compatible server at `endpoint` (path-style addressing, as such servers expect). The SDK is
 * loaded only here: a shop keeping images in a directory never pays for it.
 */
export async function s3ImageStore(options: {
  bucket: string;
  region: string;
  endpoint?: string | undefined;
  credentials?: { accessKeyId: string; secretAccessKey: string } | undefined;
}): Promise<ImageStore & { close: () => void }> {
  const { GetObjectCommand, HeadObjectCommand, NoSuchKey, NotFound, PutObjectCommand, S3Client } =
    await import('@aws-sdk/client-s3');
  const client = new S3Client({
    region: options.region,
    ...(options.endpoint && { endpoint: options.endpoint, forcePathStyle: true }),
    ...(options.credentials && { credentials: options.credentials }),
  });
  const key = (name: string) => `products/${name}`;
  const missing = (error: unknown) =>
    error instanceof NoSuchKey ||
    error instanceof NotFound ||
    (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404;
  return {
    put: async (name, bytes, type) => {
      await client.send(
        new PutObjectCommand({
          Bucket: options.bucket,
          Key: key(name),
          Body: bytes,
          ContentType: type,
          CacheControl: immutableCaching,
        }),
      );
    },
    get: async (name) => {
      try {
        const object = await client.send(
          new GetObjectCommand({ Bucket: options.bucket, Key: key(name) }),
        );
        return Buffer.from((await object.Body?.transformToByteArray()) ?? []);
      } catch (error) {
        if (missing(error)) return undefined;
        throw error;
      }
    },
    has: async (name) => {
      try {
        await client.send(new HeadObjectCommand({ Bucket: options.bucket, Key: key(name) }));
        return true;
      } catch (error) {
        if (missing(error)) return false;
        throw error;
      }
    },
    close: () => client.destroy(),
  };
}

/** A directory, for `npm start` and the tests that need no S3: each image a file. */
export function directoryImageStore(directory: string): ImageStore {
  const path = (name: string) => join(directory, name);
  return {
    put: async (name, bytes) => {
      await mkdir(directory, { recursive: true });
      // Written aside then renamed, so a reader never meets half an image.
      const partial = `${path(name)}.${process.pid}.partial`;
      await writeFile(partial, bytes);
      await rename(partial, path(name));
    },
    get: (name) =>
      readFile(path(name)).catch((error: NodeJS.ErrnoException) => {
        if (error.code === 'ENOENT') return undefined;
        throw error;
      }),
    has: async (name) => (await stat(path(name)).catch(() => undefined)) !== undefined,
  };
}

/** The store `IMAGE_STORE` names: `s3://<bucket>` (in `region`, or at `endpoint`) or `file:<dir>`. */
export function imageStoreOf(
  setting: string,
  s3: { region: string; endpoint?: string | undefined },
) {
  return setting.startsWith('s3://')
    ? s3ImageStore({ bucket: setting.slice('s3://'.length), ...s3 })
    : { ...directoryImageStore(setting.slice('file:'.length)), close: () => {} };
}
