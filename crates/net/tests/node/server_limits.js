// The server scenario of tests/net_server.rs: maxConnections 2 and a third client dropped,
// getConnections, and server.close(cb) calling back only after the last connection.
'use strict';
const net = require('net');
const log = (s) => console.log(s);
let n = 0;
const server = net.createServer((conn) => {
  const k = ++n;
  log('connection ' + k);
  server.getConnections((e, count) => log('count ' + count));
  conn.on('end', () => log('server end ' + k));
  conn.on('close', () => log('server socket close ' + k));
});
server.maxConnections = 2;
server.on('drop', (d) => log('drop ' + d.remoteAddress + ' ' + d.localAddress + ' ' + d.localFamily));
server.listen(0, '127.0.0.1', () => {
  const port = server.address().port;
  const client = (name, next) => {
    const c = net.connect(port, '127.0.0.1', () => { log(name + ' connect'); if (next) next(); });
    c.on('end', () => log(name + ' end'));
    c.on('close', (h) => log(name + ' close ' + h));
    return c;
  };
  let a, b;
  a = client('a', () => {
    b = client('b', () => {
      const c = client('c', null);
      c.on('close', () => {
        server.close((e) => log('server closed ' + (e ? e.code : 'ok')));
        log('close called ' + server.listening);
        server.close((e) => log('second close ' + (e ? e.code : 'ok')));
        a.end();
        setTimeout(() => { log('ending b'); b.end(); }, 30);
      });
    });
  });
});
