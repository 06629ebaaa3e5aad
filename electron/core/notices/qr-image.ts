// The verification QR code as a small black-and-white PNG: one image is far cheaper for pdfmake
// and pdfkit to place than the thousand-odd rectangles of a drawn code (a 结论书's code has some
// 1,250 runs, each a vector with its own graphics state), and it makes the PDF smaller. Each
// module is SCALE pixels square, so a viewer that smooths an enlarged image blurs only the
// edges of a module, never a whole one.
import zlib from 'node:zlib';

const SCALE = 4;
const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(zlib.crc32(data, zlib.crc32(head.subarray(4))) >>> 0, 0);
  return Buffer.concat([head, data, crc]);
}

/** The modules (rows of 0/1, 1 dark) as a 1-bit grayscale PNG, SCALE pixels per module. */
export function qrPng(rows: string[]): Buffer {
  const size = rows.length * SCALE;
  const stride = Math.ceil(size / 8);
  const raw = Buffer.alloc((stride + 1) * size);
  rows.forEach((row, y) => {
    const line = Buffer.alloc(stride, 0xff);
    for (let x = 0; x < size; x++) if (row[Math.floor(x / SCALE)] === '1') line[x >> 3]! &= ~(0x80 >> (x & 7));
    for (let k = 0; k < SCALE; k++) line.copy(raw, (y * SCALE + k) * (stride + 1) + 1);
  });
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 1; // bit depth
  ihdr[9] = 0; // grayscale
  return Buffer.concat([SIGNATURE, chunk('IHDR', ihdr), chunk('IDAT', zlib.deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}

export function qrPngDataUrl(rows: string[]): string {
  return `data:image/png;base64,${qrPng(rows).toString('base64')}`;
}
