// tests/net_emfile.rs's clients: after DELAY ms, opens N connections to 127.0.0.1:PORT at
// once; each reports whether the server's greeting arrived, then all are closed and the
// counts printed: `greeted G refused R errors E`.
'use strict';
const net = require('net');
const [port, n, delay] = process.argv.slice(2).map(Number);
let greeted = 0, refused = 0, errors = 0, open = n;
setTimeout(() => {
  for (let i = 0; i < n; i++) {
    const c = net.connect(port, '127.0.0.1');
    let got = false;
    c.on('data', () => { got = true; c.destroy(); });
    c.on('error', () => { errors++; });
    c.on('close', () => {
      if (got) greeted++; else refused++;
      if (--open === 0) console.log(`greeted ${greeted} refused ${refused} errors ${errors}`);
    });
  }
}, delay);
