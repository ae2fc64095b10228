// spawn options against node: extra stdio slots (pipes both ways, ignore, an fd), uid/gid,
// detached (setsid), an abort signal (also already aborted, and with killSignal), signal names.
// One scenario at a time; record with: node spawn_options.js > spawn_options.expected
'use strict';
const cp = require('child_process');
const fs = require('fs');
const log = (...a) => console.log(a.map((x) => JSON.stringify(x)).join(' '));
const errObj = (e) => ({ message: e.message, code: e.code, name: e.name });
function watch(name, c, done) {
  const outs = {};
  c.stdio.forEach((s, i) => { if (s && i > 0) { outs[i] = ''; s.on('data', (d) => { outs[i] += d; }); } });
  c.on('spawn', () => log(name, 'spawn', typeof c.pid));
  c.on('error', (e) => log(name, 'error', errObj(e)));
  c.on('exit', (code, sig) => log(name, 'exit', code, sig, c.exitCode, c.signalCode, c.killed));
  c.on('close', (code, sig) => { log(name, 'close', code, sig, outs); done(); });
}
const tmp = require('path').join(require('os').tmpdir(), `spawn_options_${process.pid}.txt`);
const scenarios = [
  (done) => { const c = cp.spawn('sh', ['-c', 'echo three >&3; read l <&4; echo "got $l"'], { stdio: ['pipe', 'pipe', 'pipe', 'pipe', 'pipe'] });
    log('extra', 'stdio', c.stdio.length, c.stdio.map((s) => s === null ? null : typeof s));
    c.stdio[4].end('four\n'); watch('extra', c, done); },
  (done) => watch('ignore3', cp.spawn('sh', ['-c', 'if { true >&3; } 2>/dev/null; then echo open; else echo closed; fi'], { stdio: ['pipe', 'pipe', 'pipe', 'ignore'] }), done),
  (done) => { const fd = fs.openSync(tmp, 'w'); const c = cp.spawn('sh', ['-c', 'echo to-fd >&3'], { stdio: ['pipe', 'pipe', 'pipe', fd] }); fs.closeSync(fd);
    watch('fd3', c, () => { log('fd3', 'file', fs.readFileSync(tmp, 'utf8')); fs.unlinkSync(tmp); done(); }); },
  (done) => watch('uid', cp.spawn('id', [], { uid: 65534, gid: 65534 }), done),
  (done) => watch('gid', cp.spawn('id', ['-g'], { gid: 65534 }), done),
  (done) => watch('detached', cp.spawn('awk', ['{print ($6==$1)?"sid":"nosid", ($5==$1)?"pgid":"nopgid"}', '/proc/self/stat'], { detached: true }), done),
  (done) => watch('attached', cp.spawn('awk', ['{print ($6==$1)?"sid":"nosid", ($5==$1)?"pgid":"nopgid"}', '/proc/self/stat']), done),
  (done) => { const ac = new AbortController(); const c = cp.spawn('sleep', ['5'], { signal: ac.signal }); watch('abort', c, done); setTimeout(() => { ac.abort(); log('abort', 'after-abort', c.killed); }, 50); },
  (done) => { const ac = new AbortController(); const c = cp.spawn('sleep', ['5'], { signal: ac.signal, killSignal: 'SIGKILL' }); watch('abort-kill', c, done); setTimeout(() => ac.abort(), 50); },
  (done) => { const c = cp.spawn('sleep', ['5'], { signal: AbortSignal.abort() }); log('pre-aborted', 'killed', c.killed); watch('pre-aborted', c, done); },
  (done) => { const c = cp.spawn('sleep', ['5'], { killSignal: 'SIGINT', timeout: 50 }); watch('timeout-name', c, done); },
  (done) => { const c = cp.spawn('sleep', ['5']); log('named', 'kill', c.kill('SIGINT')); try { c.kill('SIGFOO'); } catch (e) { log('named', 'throw', e.code, e.message, e.name); } watch('named', c, done); },
  (done) => { const c = cp.spawn('true'); c.on('exit', () => { log('dead', 'kill', c.kill('SIGINT'), c.killed); }); watch('dead', c, done); },
];
const next = () => { const s = scenarios.shift(); if (s) s(next); };
next();
