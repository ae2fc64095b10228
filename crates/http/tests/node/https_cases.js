// The https client cases of https.rs, run by node's https client against an https server
// (its port in argv[2], the test CA's PEM file in argv[3]): each prints its lines in order.
'use strict';
const https = require('https');
const fs = require('fs');
const port = Number(process.argv[2]);
const ca = fs.readFileSync(process.argv[3]);

function run(name, opts) {
  return new Promise((resolve) => {
    const out = (s) => console.log(`${name} ${s}`);
    const req = https.request({ host: '127.0.0.1', port, path: '/hello', agent: false, ...opts }, (res) => {
      let data = '';
      res.on('data', (d) => { data += d; });
      res.on('end', () => { out(`response ${res.statusCode} ${JSON.stringify(data)}`); resolve(); });
    });
    req.on('error', (e) => { out(`error ${e.code} ${e.message}`); resolve(); });
    req.end();
  });
}

(async () => {
  await run('ca', { ca });
  await run('name', { ca, host: 'localhost' });
  await run('noca', {});
  await run('insecure', { rejectUnauthorized: false });
  await run('badname', { ca, servername: 'other.test' });
  await run('post', { ca, method: 'POST', path: '/echo' });
})();
