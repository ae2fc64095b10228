// The event-order scenario of tests/net_event_order.rs, in node: the two must print the
// same lines. With a path argument, over a Unix-domain socket at that path.
'use strict';
const net = require('net');
const log = (s) => console.log(s);
const path = process.argv[2];
const server = net.createServer((c) => {
  log('server connection');
  c.on('data', (d) => {
    log('server data ' + d);
    process.nextTick(() => log('server tick after data'));
    setImmediate(() => log('server immediate after data'));
    c.end('bye');
  });
  c.on('end', () => log('server end'));
  c.on('finish', () => log('server finish'));
  c.on('close', (h) => {
    log('server socket close ' + h);
    server.close(() => log('server closed'));
    server.getConnections((e, n) => log('connections ' + n));
  });
});
server.on('listening', () => log('listening event'));
server.listen(path ? { path } : { port: 0, host: '127.0.0.1' }, () => {
  log('listening');
  process.nextTick(() => log('tick after listening'));
  const target = path ? { path } : { port: server.address().port, host: '127.0.0.1' };
  const c = net.connect(target, () => {
    log('client connect');
    process.nextTick(() => log('client tick after connect'));
    setImmediate(() => log('client immediate after connect'));
    setTimeout(() => {
      log('client timeout after connect');
      c.write('hi', () => log('client write cb'));
      log('client wrote');
    }, 0);
  });
  log('connect called ' + c.connecting);
  c.on('ready', () => log('client ready'));
  c.on('data', (d) => log('client data ' + d));
  c.on('end', () => {
    log('client end');
    setImmediate(() => log('client immediate after end'));
    process.nextTick(() => log('client tick after end'));
  });
  c.on('finish', () => log('client finish'));
  c.on('close', (h) => {
    log('client close ' + h + ' ' + c.bytesRead + ' ' + c.bytesWritten);
    setImmediate(() => log('immediate after client close'));
  });
});
process.nextTick(() => log('tick main'));
setImmediate(() => log('immediate main'));
Promise.resolve().then(() => log('microtask main'));
log('main end');
