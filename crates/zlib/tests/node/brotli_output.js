// Node's brotli output at every quality (0 to 11) and both modes of the default window, for
// 256 KiB of generated text (words drawn by a 32-bit LCG, the same generator as
// tests/zlib_brotli_output.rs): one line per case, "quality mode bytes crc32". The same C
// brotli version gives the same bytes; recorded in brotli_output.expected (node v20, brotli
// 1.1.0).
'use strict';
const zlib = require('zlib');
const WORDS = ['the', 'event', 'loop', 'buffer', 'stream', 'of', 'node', 'compression', 'a',
  'window', 'quality', 'and', 'brotli', 'gzip', 'chunk', 'is', 'to', 'worker', 'pool', 'callback'];
function text(bytes) {
  const out = Buffer.alloc(bytes);
  let at = 0;
  let x = 12345;
  while (at < bytes) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    const w = WORDS[(x >>> 16) % WORDS.length];
    const sep = (x >>> 8) % 16 === 0 ? '.\n' : ' ';
    at += out.write(w + sep, at, 'latin1');
  }
  return out;
}
const data = text(256 * 1024);
for (let q = 0; q <= 11; q++) {
  for (const mode of [zlib.constants.BROTLI_MODE_GENERIC, zlib.constants.BROTLI_MODE_TEXT]) {
    const out = zlib.brotliCompressSync(data, {
      params: { [zlib.constants.BROTLI_PARAM_QUALITY]: q, [zlib.constants.BROTLI_PARAM_MODE]: mode },
    });
    console.log(`${q} ${mode} ${out.length} ${zlib.crc32(out)}`);
  }
}
