// node's side of cipher_throughput.rs: best of 40 runs of 16 MiB in 64 KiB updates.
const crypto = require('crypto');
const chunk = Buffer.alloc(64 << 10, 7), updates = 256;
for (const alg of ['aes-128-cbc', 'aes-256-cbc', 'aes-128-ctr', 'aes-256-gcm']) {
  const key = Buffer.alloc(alg.startsWith('aes-128') ? 16 : 32, 1);
  const iv = Buffer.alloc(alg.endsWith('gcm') ? 12 : 16, 2);
  let enc = Infinity, dec = Infinity;
  for (let r = 0; r < 40; r++) {
    let t = process.hrtime.bigint();
    const c = crypto.createCipheriv(alg, key, iv);
    const parts = [];
    for (let i = 0; i < updates; i++) parts.push(c.update(chunk));
    parts.push(c.final());
    enc = Math.min(enc, Number(process.hrtime.bigint() - t) / 1e9);
    if (alg.endsWith('cbc')) {
      const ct = Buffer.concat(parts);
      t = process.hrtime.bigint();
      const d = crypto.createDecipheriv(alg, key, iv);
      for (let o = 0; o < ct.length; o += 65536) d.update(ct.subarray(o, o + 65536));
      d.final();
      dec = Math.min(dec, Number(process.hrtime.bigint() - t) / 1e9);
    }
  }
  const decrypt = dec < Infinity ? ` decrypt ${(16 / dec).toFixed(0)} MiB/s` : '';
  console.log(`${alg}: encrypt ${(16 / enc).toFixed(0)} MiB/s${decrypt}`);
}
