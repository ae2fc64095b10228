// The twin of net_lookup.rs: names in net.connect (the lookup event, a failed lookup's
// error fields, localhost, a custom `lookup` option and its bad answers).
'use strict';
const net = require('net');

function errLine(e) {
  return `error ${e.message.replace(/:\d+$/, ":PORT")} code=${e.code} errno=${e.errno} syscall=${e.syscall} hostname=${e.hostname}`;
}

function watch(name, sock, next) {
  sock.on('lookup', (err, address, family, host) =>
    console.log(`${name} lookup ${err ? err.message : null} ${address} ${family} ${host}`));
  sock.on('connect', () => {
    console.log(`${name} connect ${sock.remoteAddress} ${sock.remoteFamily}`);
    sock.end();
  });
  sock.on('error', (e) => console.log(`${name} ${errLine(e)}`));
  sock.on('close', (h) => {
    console.log(`${name} close ${h}`);
    next();
  });
}

const server = net.createServer((c) => c.resume());
server.listen(0, '127.0.0.1', () => {
  const port = server.address().port;
  const steps = [
    (next) => watch('nope', net.connect({ port: 80, host: 'nope.invalid', autoSelectFamily: false }), next),
    (next) => watch('localhost', net.connect({ port, host: 'localhost', family: 4, autoSelectFamily: false }), next),
    (next) => watch('custom', net.connect({
      port, host: 'my.test', autoSelectFamily: false,
      lookup: (h, o, cb) => { console.log(`custom asked ${h} family=${o.family ?? 0} hints=${o.hints}`); cb(null, '127.0.0.1', 4); },
    }), next),
    (next) => watch('notip', net.connect({
      port, host: 'my.test', autoSelectFamily: false, lookup: (h, o, cb) => cb(null, 'bogus', 4),
    }), next),
    (next) => watch('badfamily', net.connect({
      port, host: 'my.test', autoSelectFamily: false, lookup: (h, o, cb) => cb(null, '127.0.0.1', 5),
    }), next),
  ];
  const run = () => {
    const s = steps.shift();
    if (s) s(run); else server.close();
  };
  run();
});
