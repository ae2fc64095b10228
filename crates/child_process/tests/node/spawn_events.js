// spawn's events, one scenario at a time (each starts when the previous one closed); stdout is
// collected and printed at 'close'. Record with: node spawn_events.js > spawn_events.expected
'use strict';
const cp = require('child_process');
const log = (...a) => console.log(a.map((x) => JSON.stringify(x)).join(' '));
const errObj = (e) => ({ message: e.message, code: e.code, errno: e.errno, syscall: e.syscall, path: e.path, spawnargs: e.spawnargs });
function watch(name, c, done) {
  let out = '';
  if (c.stdout) c.stdout.on('data', (d) => { out += d; });
  c.on('spawn', () => log(name, 'spawn', typeof c.pid));
  c.on('error', (e) => log(name, 'error', errObj(e)));
  c.on('exit', (code, sig) => log(name, 'exit', code, sig, c.exitCode, c.signalCode, c.killed));
  c.on('close', (code, sig) => { log(name, 'close', code, sig, out); done(); });
}
process.env.CP_SPAWN_TEST = 'from the parent';
const scenarios = [
  (done) => watch('status', cp.spawn('sh', ['-c', 'echo hi; echo err >&2; exit 2']), done),
  (done) => { const c = cp.spawn('sleep', ['5']); log('kill', 'kill', c.kill()); watch('kill', c, done); },
  (done) => { const c = cp.spawn('nope', ['a']); log('enoent', 'pid', c.pid ?? null); watch('enoent', c, done); },
  (done) => { const c = cp.spawn('cat'); c.stdin.end('abc'); watch('stdin', c, done); },
  (done) => watch('timeout', cp.spawn('sleep', ['5'], { timeout: 100, killSignal: 'SIGKILL' }), done),
  (done) => watch('env', cp.spawn('sh', ['-c', 'echo "$CP_SPAWN_TEST"']), done),
  (done) => watch('shell', cp.spawn('echo $((6*7))', { shell: '/bin/sh', cwd: '/tmp' }), done),
  (done) => watch('ignore', cp.spawn('sh', ['-c', 'echo gone'], { stdio: ['ignore', 'ignore', 'inherit'] }), done),
  (done) => { const c = cp.spawn('sh', ['-c', 'kill -KILL $$']); log('exitcode-after-kill', 'kill-after', c.kill(0)); watch('selfkill', c, done); },
];
const next = () => { const s = scenarios.shift(); if (s) s(next); };
next();
