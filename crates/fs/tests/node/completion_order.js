// The order in which fs's promise and callback forms complete (issue 13), run with
// UV_THREADPOOL_SIZE=1 so that the pool runs jobs in the order they were queued. A promise
// form's work is queued at the call, so it completes before a callback form called after it.
// Phase 1 is readFile (several pool jobs each in node, one in nodestd, so it gets a phase of
// its own); phase 2 are forms that are one pool job in both. Usage: node completion_order.js DIR
// (DIR holds files `a` and `b`). Prints one completion a line; recorded in
// completion_order.expected.
const fs = require('fs');
const path = require('path');
const dir = process.argv[2];
const [a, b, sub] = ['a', 'b', 'sub'].map((n) => path.join(dir, n));
const out = [];
const log = (s) => (e) => out.push(e && e.code ? `${s} ${e.code}` : s);

function phase2() {
  fs.promises.stat(a).then(log('promise stat a'));
  fs.stat(b, log('callback stat b'));
  fs.promises.access(a + '.missing').catch(log('promise access'));
  fs.lstat(a, log('callback lstat a'));
  fs.promises.readlink(a).catch(log('promise readlink'));
  fs.unlink(a + '.missing', log('callback unlink'));
  fs.promises.mkdir(sub).then(log('promise mkdir sub'), log('promise mkdir sub'));
  fs.rmdir(sub, log('callback rmdir sub'));
}

let left = 2;
const done = (s) => (e) => {
  log(s)(e);
  if (--left === 0) phase2();
};
fs.promises.readFile(a).then(done('promise readFile a'));
fs.readFile(b, done('callback readFile b'));
process.on('exit', () => console.log(out.join('\n')));
