// The Node twin of http_events.rs's close_and_error_listeners_match_node: several `error`
// listeners of a server whose listen fails, several `close` listeners (on, once, one removed
// with off) of a server that closes; prints what they log.
'use strict';
const http = require('http');
const log = [];
const a = http.createServer(() => {});
a.listen(0, '127.0.0.1', () => {
  const b = http.createServer(() => {});
  b.on('error', (e) => log.push(`error 1 ${e.code} ${e.message.replace(/:\d+$/, ':PORT')}`));
  b.once('error', (e) => log.push(`error once ${e.syscall}`));
  b.on('error', () => log.push(`error 3 ${b.listenerCount('error')}`));
  b.listen(a.address().port, '127.0.0.1');
  a.on('close', () => log.push('close 1'));
  a.once('close', () => log.push('close once'));
  const f = () => log.push('removed');
  a.on('close', f);
  a.off('close', f);
  setTimeout(() => a.close(() => {
    log.push(`close cb ${a.listenerCount('close')}`);
    console.log(log.join('\n'));
  }), 50);
});
