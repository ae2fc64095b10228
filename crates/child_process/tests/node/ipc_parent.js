// ipc-parent's contract (issue 15) in node: the reference the Rust example is compared with.
// Usage: node ipc_parent.js SCRIPT.js [args...], JSON lines on stdin.
'use strict';
const { fork } = require('child_process');
const net = require('net');
const readline = require('readline');

const print = (v) => process.stdout.write(JSON.stringify(v) + '\n');
const child = fork(process.argv[2], process.argv.slice(3), { stdio: 'inherit' });
child.on('spawn', () => print({ event: 'spawn' }));
child.on('message', (m) => print({ message: m }));
child.on('disconnect', () => print({ event: 'disconnect' }));
child.on('error', (e) => print({ event: 'error', code: e.code }));
let weDisconnected = false;
child.on('exit', (code, signal) => {
  print({ event: 'exit', code, signal });
  if (weDisconnected) process.exit(0);
});
child.on('close', (code, signal) => { print({ event: 'close', code, signal }); process.exit(0); });

const rl = readline.createInterface({ input: process.stdin });
rl.on('line', (line) => {
  if (!line.trim()) return;
  const v = JSON.parse(line);
  if (v !== null && typeof v === 'object' && '$sendServer' in v) {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      print({ event: 'serverPort', port: srv.address().port });
      child.send(v.$sendServer, srv, () => srv.close());
    });
  } else if (v !== null && typeof v === 'object' && '$kill' in v) {
    child.kill(v.$kill);
  } else {
    child.send(v);
  }
});
// At stdin's end: disconnect (of a channel the child already closed: ERR_IPC_DISCONNECTED).
rl.on('close', () => {
  weDisconnected = child.connected;
  child.disconnect();
});
