// The Node side of the net-echo workload (crates/bench/src/net.rs): a client's bytes through
// one loopback connection to a server that writes them back, until all have come back
// (256 MiB; 32 MiB with --quick), 64 KiB writes with backpressure on both sides; MiB/s.
'use strict';
const net = require('net');
const { quick, now, emitUnit } = require('./common');

function echoCase(total, done) {
  const server = net.createServer((sock) => {
    sock.on('data', (chunk) => {
      if (!sock.write(chunk)) {
        sock.pause();
        sock.once('drain', () => sock.resume());
      }
    });
    sock.on('end', () => sock.end());
  });
  server.listen(0, '127.0.0.1', () => {
    const client = net.connect(server.address().port, '127.0.0.1');
    const start = now();
    const block = Buffer.alloc(64 * 1024, 'x');
    let sent = 0;
    let got = 0;
    const pump = () => {
      while (sent < total) {
        sent += block.length;
        if (!client.write(block)) return;
      }
    };
    client.on('connect', pump);
    client.on('drain', pump);
    client.on('data', (chunk) => {
      got += chunk.length;
      if (got >= total) {
        const secs = now() - start;
        client.end();
        server.close(() => done(secs));
      }
    });
  });
}

const total = quick ? 32 << 20 : 256 << 20;
echoCase(total / 8, () =>
  echoCase(total, (secs) => emitUnit('net-echo', 'MiB/s', total / (1 << 20), secs)),
);
