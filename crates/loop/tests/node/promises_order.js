// The order of timers/promises against callbacks (issue 19): one line per event. The groups
// are tens of milliseconds apart so that only Node's ordering rules decide the trace, never
// the machine's speed. Recorded in promises_order.expected; loop_promises.rs prints the same.
const tp = require('timers/promises');
const log = (s) => console.log(s);
log('main start');
tp.setImmediate('p-immediate-1').then(log);
setImmediate(() => log('cb-immediate-2'));
tp.setImmediate('p-immediate-3').then((v) => {
  log(v);
  process.nextTick(() => log('tick after p-immediate-3'));
});
setImmediate(() => log('cb-immediate-4'));
process.nextTick(() => log('tick'));
queueMicrotask(() => log('microtask'));
const early = new AbortController();
early.abort('early');
tp.setImmediate('x', { signal: early.signal }).catch((e) => log(`early ${e.name} ${e.code} ${e.message} cause=${e.cause}`));
tp.setTimeout(20, 'p-timeout-20a').then(log);
setTimeout(() => log('cb-timeout-20b'), 20);
tp.setTimeout(20, 'p-timeout-20c').then((v) => {
  log(v);
  queueMicrotask(() => log('microtask after p-timeout-20c'));
});
setTimeout(() => log('cb-timeout-20d'), 20);
(async () => {
  let n = 0;
  for await (const x of tp.setInterval(30, 'interval')) {
    log(`${x} ${++n}`);
    if (n === 3) break;
  }
  log('interval done');
})();
const ac = new AbortController();
tp.setTimeout(1000, 'never', { signal: ac.signal }).then(log, (e) =>
  log(`${e.name} ${e.code} ${e.message} cause=${e.cause.message}`));
setTimeout(() => { log('abort at 45'); ac.abort(); log('after abort()'); }, 45);
tp.setTimeout(100000, 'unref', { ref: false }).then(log);
(async () => {
  const ac3 = new AbortController();
  const it = tp.setInterval(150, 'tick-150', { signal: ac3.signal });
  log((await it.next()).value);
  setTimeout(() => ac3.abort('stop'), 10);
  try {
    await it.next();
    log('not aborted');
  } catch (e) {
    log(`interval ${e.code} cause=${e.cause}`);
  }
  log(`next after abort: done=${(await it.next()).done}`);
})();
log('main end');
