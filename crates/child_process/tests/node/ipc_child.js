// ipc-child's contract (issue 15) in node: the reference the Rust example is compared with.
'use strict';
const net = require('net');
process.on('message', (m, handle) => {
  if (handle instanceof net.Socket) {
    handle.end(`child ${process.pid}\n`);
    return process.send({ gotSocket: true, msg: m });
  }
  if (handle instanceof net.Server) {
    handle.on('connection', (c) => c.end(`child ${process.pid}\n`));
    return process.send({ gotServer: true, msg: m });
  }
  const cmd = m !== null && typeof m === 'object' ? m.cmd : undefined;
  if (cmd === 'burst') {
    for (let i = 0; i < m.n; i++) process.send({ i });
    process.send({ done: m.n });
  } else if (cmd === 'argv') {
    process.send({ argv: process.argv.slice(2), env: process.env.IPC_TEST ?? null });
  } else if (cmd === 'disconnect') {
    process.disconnect();
  } else if (cmd === 'exit') {
    process.exit(m.code);
  } else {
    process.send(m);
  }
});
