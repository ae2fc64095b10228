// zlib: a 64 MiB text corpus (6.4 MiB --quick) through gzip at levels 1, 6 and 9, gunzip of
// the level-6 output, deflateRaw at level 6 and brotli at quality 4; MiB/s of uncompressed
// data (brotli: see below). The corpus is the same bytes as codec.rs's `corpus`.
'use strict';
const zlib = require('zlib');
const { quick, now, sink, corpus } = require('./common.js');

const bytes = quick ? Math.floor((64 << 20) / 10) : 64 << 20;
const data = corpus(bytes);
const mib = bytes / (1 << 20);
const emitMib = (name, secs) =>
  console.log(JSON.stringify({ workload: name, unit: 'MiB/s', value: mib / secs }));
const time = (f) => {
  const start = now();
  const out = f();
  return [now() - start, out];
};
time(() => zlib.gzipSync(data.subarray(0, Math.floor(bytes / 10)), { level: 6 }));
for (const [name, f] of [
  ['zlib/gzip-1', () => zlib.gzipSync(data, { level: 1 })],
  ['zlib/gzip-6', () => zlib.gzipSync(data, { level: 6 })],
  ['zlib/gzip-9', () => zlib.gzipSync(data, { level: 9 })],
  ['zlib/deflateRaw-6', () => zlib.deflateRawSync(data, { level: 6 })],
]) {
  const [secs, out] = time(f);
  sink[0] = out;
  emitMib(name, secs);
}
const packed = zlib.gzipSync(data, { level: 6 });
const [secs, out] = time(() => zlib.gunzipSync(packed));
if (out.length !== bytes) throw new Error('gunzip did not give the corpus back');
emitMib('zlib/gunzip', secs);
// Brotli at qualities 1 and 4 over the corpus, 11 over its first 1 MiB (0.1 --quick), and
// decompression of the quality-4 output; printed also under the names of the Rust candidates
// (crates/bench/src/backends.rs's BROTLIS).
const q11 = quick ? Math.floor((1 << 20) / 10) : 1 << 20;
const brotliRow = (name, bytesIn, secs) => {
  for (const b of ['', '@brotli-rs', '@brotlic']) {
    console.log(
      JSON.stringify({ workload: `${name}${b}`, unit: 'MiB/s', value: bytesIn / (1 << 20) / secs }),
    );
  }
};
for (const [q, input] of [[1, data], [4, data], [11, data.subarray(0, q11)]]) {
  const [bsecs, bout] = time(() =>
    zlib.brotliCompressSync(input, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: q } }),
  );
  sink[1] = bout;
  brotliRow(`zlib/brotli-q${q}`, input.length, bsecs);
}
const bpacked = zlib.brotliCompressSync(data, {
  params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 4 },
});
const [dsecs, dout] = time(() => zlib.brotliDecompressSync(bpacked));
if (dout.length !== bytes) throw new Error('brotli did not give the corpus back');
brotliRow('zlib/brotli-decompress', bytes, dsecs);
