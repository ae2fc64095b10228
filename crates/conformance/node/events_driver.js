// Differential driver for nodestd-events: runs scripts of EventEmitter operations (one JSON
// script per stdin line) and prints each script's log as one JSON array per line.
//
// Script: {"acts": [[op|null, ...] per listener], "ops": [op, ...]}. Listener i, on its k-th
// call, logs `L<i>(<args>)` and then runs acts[i][k % len] (when not nested 3 deep, and while
// the script's budget of ACTIONS listener actions lasts).
// Ops: ["on"|"once"|"prepend"|"prependOnce"|"off", ev, i], ["removeAll"], ["removeAll", ev],
// ["emit", ev, n], ["setMax", n], ["setDefault", n], ["getMax"], ["count", ev],
// ["countOf", ev, i], ["listeners", ev], ["raw", ev], ["names"]. The event "@monitor" is
// events.errorMonitor. removeAllListeners can throw ERR_INVALID_ARG_TYPE (when removeListener
// listeners shrink the list it walks); the op is then over, as the Rust one stops there.
'use strict';
const EventEmitter = require('events');

const ACTIONS = 200;

let log;
process.emitWarning = (w) => { log.push(`warn ${w.name}: ${w.message}`); };

function fmt(a) {
  if (typeof a === 'function') return a.id !== undefined ? `L${a.id}` : `wL${a.listener.id}`;
  return String(a);
}

function runScript(script) {
  log = [];
  EventEmitter.defaultMaxListeners = 10;
  const em = new EventEmitter();
  const calls = script.acts.map(() => 0);
  let depth = 0;
  let budget = ACTIONS;
  const ev = (name) => (name === '@monitor' ? EventEmitter.errorMonitor : name);
  const fns = script.acts.map((acts, i) => {
    const f = function(...args) {
      const k = calls[i]++;
      log.push(`L${i}(${args.map(fmt).join(',')})`);
      const act = acts.length ? acts[k % acts.length] : null;
      if (act && depth < 3 && budget > 0) {
        budget--;
        depth++;
        run(act);
        depth--;
      }
    };
    f.id = i;
    return f;
  });
  function run(op) {
    const [o, a, b] = op;
    switch (o) {
      case 'on': em.on(ev(a), fns[b]); break;
      case 'once': em.once(ev(a), fns[b]); break;
      case 'prepend': em.prependListener(ev(a), fns[b]); break;
      case 'prependOnce': em.prependOnceListener(ev(a), fns[b]); break;
      case 'off': em.off(ev(a), fns[b]); break;
      case 'removeAll':
        try {
          if (op.length === 1) em.removeAllListeners(); else em.removeAllListeners(ev(a));
        } catch (e) {
          if (e.code !== 'ERR_INVALID_ARG_TYPE') throw e;
        }
        break;
      case 'emit': {
        let r;
        try {
          r = String(em.emit(ev(a), b));
        } catch (e) {
          r = `unhandled ${e.code}: ${e.message}`;
        }
        log.push(`emit ${a} ${r}`);
        break;
      }
      case 'setMax': em.setMaxListeners(a); break;
      case 'setDefault': EventEmitter.defaultMaxListeners = a; break;
      case 'getMax': log.push(`max ${em.getMaxListeners()}`); break;
      case 'count': log.push(`count ${a} ${em.listenerCount(ev(a))}`); break;
      case 'countOf': log.push(`countOf ${a} L${b} ${em.listenerCount(ev(a), fns[b])}`); break;
      case 'listeners': log.push(`listeners ${a} ${em.listeners(ev(a)).map(fmt).join(' ')}`); break;
      case 'raw': log.push(`raw ${a} ${em.rawListeners(ev(a)).map(fmt).join(' ')}`); break;
      case 'names': log.push(`names ${em.eventNames().map(String).join(' ')}`); break;
      default: throw new Error(`unknown op ${o}`);
    }
  }
  for (const op of script.ops) run(op);
  log.push(`end ${em.eventNames().map(String).join(' ')}`);
  return log;
}

const input = require('fs').readFileSync(0, 'utf8');
const out = [];
for (const line of input.split('\n')) {
  if (line.trim() === '') continue;
  out.push(JSON.stringify(runScript(JSON.parse(line))));
}
process.stdout.write(out.join('\n') + (out.length ? '\n' : ''));
