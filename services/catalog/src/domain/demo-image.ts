import { createHash } from 'node:crypto';
import { crc32, deflateSync } from 'node:zlib';

const side = 320;

/**
 * The demo catalog's picture of a product: a PNG drawn from its slug (a background in one hue, an
 * object in another, lit from the top left), the same every time, so that it can be cached for a
 * year. Real shops upload theirs.
 */
export function demoImage(slug: string): Buffer {
  const hash = createHash('sha256').update(slug).digest();
  const at = (index: number) => hash[index] ?? 0;
  const hue = (at(0) / 255) * 360;
  const objectHue = (hue + 60 + (at(1) % 180)) % 360;
  const shape = at(2) % 4;
  const scale = 0.26 + (at(3) % 40) / 400;
  const rows = Buffer.alloc((side * 3 + 1) * side);
  for (let y = 0; y < side; y += 1) {
    const row = y * (side * 3 + 1);
    const v = y / side - 0.5;
    // A vertical wash behind, darker under the object (its shadow on the floor).
    const wash = hsl(hue, 0.35, 0.9 - 0.12 * (y / side));
    const shade = hsl(hue, 0.35, 0.82 - 0.12 * (y / side));
    for (let x = 0; x < side; x += 1) {
      const u = x / side - 0.5;
      // Lit from the top left.
      const colour = insideShape(shape, u, v, scale)
        ? hsl(
            objectHue,
            0.55,
            0.38 + 0.22 * Math.max(0, 1 - Math.hypot(u + 0.12, v + 0.12) / scale),
          )
        : shadow(u, v, scale)
          ? shade
          : wash;
      const at = row + 1 + x * 3;
      rows[at] = colour[0];
      rows[at + 1] = colour[1];
      rows[at + 2] = colour[2];
    }
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(side, 0);
  header.writeUInt32BE(side, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8 bits, RGB, deflate, no filter, not interlaced
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(rows, { level: 6 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

function insideShape(shape: number, u: number, v: number, scale: number): boolean {
  switch (shape) {
    case 0:
      return Math.hypot(u, v) < scale;
    case 1:
      return Math.abs(u) < scale * 0.85 && Math.abs(v) < scale * 0.85;
    case 2:
      return Math.abs(u) + Math.abs(v) < scale * 1.2;
    default: {
      const distance = Math.hypot(u, v);
      return distance < scale && distance > scale * 0.55;
    }
  }
}

const shadow = (u: number, v: number, scale: number) =>
  Math.hypot((u - 0.04) / 1.3, (v - scale - 0.02) * 4) < scale * 0.8;

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const check = Buffer.alloc(4);
  check.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, check]);
}

function hsl(hue: number, saturation: number, lightness: number): [number, number, number] {
  const chroma = (1 - Math.abs(2 * lightness - 1)) * saturation;
  const section = hue / 60;
  const second = chroma * (1 - Math.abs((section % 2) - 1));
  const [r, g, b] =
    section < 1
      ? [chroma, second, 0]
      : section < 2
        ? [second, chroma, 0]
        : section < 3
          ? [0, chroma, second]
          : section < 4
            ? [0, second, chroma]
            : section < 5
              ? [second, 0, chroma]
              : [chroma, 0, second];
  const match = lightness - chroma / 2;
  return [r, g, b].map((channel) => Math.round((channel + match) * 255)) as [
    number,
    number,
    number,
  ];
}
