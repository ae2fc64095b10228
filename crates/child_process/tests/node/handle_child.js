// The child of handles.js (and the contract the fork-child example follows): takes a server
// or a socket from the parent and serves on it; on request sends a server or a socket of its
// own to the parent; `disconnect` closes the servers it was given and the channel.
'use strict';
const net = require('net');
let mine = null;
const given = [];
process.on('message', (m, handle) => {
  if (handle instanceof net.Socket) {
    handle.end(`child ${process.pid}\n`);
    process.send({ gotSocket: true, msg: m });
  } else if (handle instanceof net.Server) {
    given.push(handle);
    handle.on('connection', (s) => s.end(`child ${process.pid}\n`));
    process.send({ gotServer: true, msg: m });
  } else if (m.cmd === 'sendServer') {
    mine = net.createServer();
    mine.listen(0, '127.0.0.1', () => process.send({ server: true }, mine));
  } else if (m.cmd === 'closeServer') {
    mine.close();
    process.send({ closed: true });
  } else if (m.cmd === 'sendSocket') {
    const s = net.connect(m.port, '127.0.0.1', () => process.send({ socket: true }, s));
  } else if (m.cmd === 'disconnect') {
    for (const g of given) g.close();
    process.disconnect();
  }
});
