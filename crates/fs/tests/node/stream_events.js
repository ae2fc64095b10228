// The events of fs's file streams, in order (issue 13): the file is opened in `_construct`,
// which emits 'open' (with the fd) and 'ready'; an open that fails emits 'error' then 'close'.
// Usage: node stream_events.js DIR (DIR holds `a.txt`, "hello world"). Each scenario starts
// when the one before has closed; prints `scenario: event[ detail]` a line. Recorded in
// stream_events.expected.
const fs = require('fs');
const path = require('path');
const dir = process.argv[2];
const p = (n) => path.join(dir, n);

function watch(name, s, events) {
  for (const ev of events) {
    s.on(ev, (x) => {
      let detail = '';
      if (ev === 'open') detail = typeof x === 'number' ? ' fd' : ' ?';
      if (ev === 'data') detail = ` ${x.length}`;
      if (ev === 'error') detail = ` ${x.code} ${x.syscall}`;
      console.log(`${name}: ${ev}${detail}`);
    });
  }
}

const scenarios = [
  (next) => {
    const r = fs.createReadStream(p('a.txt'));
    watch('read', r, ['open', 'ready', 'data', 'end', 'error', 'close']);
    r.on('close', next);
  },
  (next) => {
    const r = fs.createReadStream(p('missing.txt'));
    watch('read missing', r, ['open', 'ready', 'data', 'end', 'error', 'close']);
    r.on('close', next);
  },
  (next) => {
    const fd = fs.openSync(p('a.txt'), 'r');
    const r = fs.createReadStream(null, { fd, start: 6 });
    watch('read fd', r, ['open', 'ready', 'data', 'end', 'error', 'close']);
    r.on('close', next);
  },
  (next) => {
    const w = fs.createWriteStream(p('b.txt'));
    watch('write', w, ['open', 'ready', 'finish', 'error', 'close']);
    w.write('abc');
    w.end('def');
    w.on('close', next);
  },
  (next) => {
    const w = fs.createWriteStream(dir);
    watch('write dir', w, ['open', 'ready', 'finish', 'error', 'close']);
    w.on('close', next);
  },
  (next) => {
    const r = fs.createReadStream(p('a.txt'));
    watch('read destroyed', r, ['open', 'ready', 'data', 'end', 'error', 'close']);
    r.destroy();
    r.on('close', next);
  },
];

(function run(i) {
  if (i < scenarios.length) scenarios[i](() => run(i + 1));
})(0);
