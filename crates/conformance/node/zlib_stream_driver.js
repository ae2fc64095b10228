// Driver for crates/conformance/tests/zlib_stream_differential.rs: one request per line on
// stdin, one answer per line: {"ok": hex} or {"err": code, "msg": message}. Bytes are hex.
//   {"op":"unpack", "mode", "data"}             -> zlib.<mode>Sync(data) (one-shot)
//   {"op":"pack", "mode", "chunks":[hex...], "quality"?}
//                                              -> a create<Mode>() stream fed those chunks,
//                                                 its output concatenated (brotli quality)
// Streams run 64 at a time; answers keep the request order.
'use strict';
const zlib = require('zlib');
const fs = require('fs');

const hex = (s) => Buffer.from(s, 'hex');
const sync = {
  gzip: zlib.gzipSync, gunzip: zlib.gunzipSync, deflate: zlib.deflateSync,
  inflate: zlib.inflateSync, deflateRaw: zlib.deflateRawSync, inflateRaw: zlib.inflateRawSync,
  unzip: zlib.unzipSync, brotliCompress: zlib.brotliCompressSync,
  brotliDecompress: zlib.brotliDecompressSync,
};
const streams = {
  gzip: zlib.createGzip, deflate: zlib.createDeflate, deflateRaw: zlib.createDeflateRaw,
  brotliCompress: zlib.createBrotliCompress,
};

function pack(r) {
  return new Promise((resolve) => {
    const opts = r.quality === undefined ? {}
      : { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: r.quality } };
    const s = streams[r.mode](opts);
    const out = [];
    s.on('data', (c) => out.push(c));
    s.on('error', (e) => resolve({ err: e.code, msg: e.message }));
    s.on('end', () => resolve({ ok: Buffer.concat(out).toString('hex') }));
    for (const c of r.chunks) s.write(hex(c));
    s.end();
  });
}

async function main() {
  const answers = [];
  let running = [];
  for (const line of fs.readFileSync(0, 'utf8').split('\n')) {
    if (!line) continue;
    const r = JSON.parse(line);
    if (r.op === 'pack') {
      // Up to 64 streams at once: enough to overlap the pool's work, few enough that the
      // engines' memory stays small.
      const p = pack(r);
      answers.push(p);
      running.push(p);
      if (running.length === 64) {
        await Promise.all(running);
        running = [];
      }
    } else {
      try {
        answers.push({ ok: sync[r.mode](hex(r.data)).toString('hex') });
      } catch (e) {
        answers.push({ err: e.code, msg: e.message });
      }
    }
  }
  for (let i = 0; i < answers.length; i++) answers[i] = await answers[i];
  process.stdout.write(answers.map((a) => JSON.stringify(a)).join('\n') + '\n');
}
main();
