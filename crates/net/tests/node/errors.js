// Prints, one JSON line each, the error node gives for: connect to 127.0.0.1:PORT (a
// closed port), listen on 127.0.0.1:BUSY (a port in use), connect to PATH (missing), listen
// on BUSYPATH (a socket path in use).
'use strict';
const net = require('net');
const [port, busy, path, busyPath] = process.argv.slice(2);
const line = (e) => console.log(JSON.stringify({
  message: e.message, code: e.code, errno: e.errno, syscall: e.syscall, address: e.address,
  port: e.port,
}));
const steps = [
  (next) => net.connect(Number(port), '127.0.0.1').on('error', (e) => { line(e); next(); }),
  (next) => net.createServer().listen(Number(busy), '127.0.0.1').on('error', (e) => { line(e); next(); }),
  (next) => net.connect(path).on('error', (e) => { line(e); next(); }),
  (next) => net.createServer().listen(busyPath).on('error', (e) => { line(e); next(); }),
];
const run = (i) => { if (i < steps.length) steps[i](() => run(i + 1)); };
run(0);
