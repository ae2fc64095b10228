// A raw TLS client for tests/https_server.rs: `node tls_raw.js PORT CA CASE`. Connects to
// localhost:PORT trusting CA, sends the case's bytes, and prints one JSON line: what came
// back (the `Date` lines and its own port, as PORT, taken out), whether the server closed,
// and after how many ms. CASE `close`: a kept-alive connection idles while a second one asks
// for `GET /close`; both are printed.
'use strict';
const tls = require('tls');
const fs = require('fs');
const port = Number(process.argv[2]);
const ca = fs.readFileSync(process.argv[3]);
const which = process.argv[4];

const CASES = {
  'partial-head': 'GET / HTTP/1.1\r\nHost: a\r\n',
  'partial-body': 'POST /b HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\n\r\nabc',
  'keep-alive': 'GET /x HTTP/1.1\r\nHost: a\r\n\r\n',
  'peer': 'GET /peer HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n',
  'close': 'GET /x HTTP/1.1\r\nHost: a\r\n\r\n',
};

// Connects, sends `data`, resolves with the outcome (`wait` ms at most); `onData` sees
// every chunk.
function exchange(data, wait, onData) {
  return new Promise((resolve) => {
    const start = Date.now();
    let got = '';
    let done = false;
    const socket = tls.connect({ port, host: '127.0.0.1', servername: 'localhost', ca }, () => {
      socket.write(data);
    });
    const finish = (closed) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      const text = got.split('\r\n').filter((l) => !l.startsWith('Date: ')).join('\r\n')
        .split(String(socket.localPort)).join('PORT');
      resolve({ reply: text, closed, ms: Date.now() - start });
      socket.destroy();
    };
    const timer = setTimeout(() => finish(false), wait);
    socket.on('data', (d) => { got += d; if (onData) onData(got); });
    socket.on('end', () => finish(true));
    socket.on('close', () => finish(true));
    socket.on('error', () => finish(true));
  });
}

(async () => {
  if (which === 'close') {
    let asked;
    const idle = exchange(CASES.close, 6000, (got) => {
      if (!asked && got.includes('hello GET /x 0')) {
        asked = exchange('GET /close HTTP/1.1\r\nHost: a\r\n\r\n', 6000);
      }
    });
    const a = await idle;
    const b = await asked;
    console.log(JSON.stringify({ idle: a, closer: b }));
  } else {
    console.log(JSON.stringify(await exchange(CASES[which], 6000)));
  }
})();
