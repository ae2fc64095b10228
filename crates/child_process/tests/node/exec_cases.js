// exec and execFile: the callback's error fields and outputs, one case at a time.
// Record with: node exec_cases.js > exec_cases.expected
'use strict';
const cp = require('child_process');
const e2 = (e) => e && ({ message: e.message, code: e.code ?? null, killed: e.killed ?? null, signal: e.signal ?? null, cmd: e.cmd ?? null, errno: e.errno ?? null, syscall: e.syscall ?? null, path: e.path ?? null, spawnargs: e.spawnargs ?? null });
const cases = [
  ['exec_ok', (cb) => cp.exec('echo out; echo err >&2', cb)],
  ['exec_fail', (cb) => cp.exec('echo o; echo e >&2; exit 3', cb)],
  ['exec_timeout', (cb) => cp.exec('sleep 1', { timeout: 100 }, cb)],
  ['exec_maxbuffer', (cb) => cp.exec('yes | head -c 100000', { maxBuffer: 10 }, cb)],
  ['execfile_ok', (cb) => cp.execFile('echo', ['; rm -rf /'], cb)],
  ['execfile_enoent', (cb) => cp.execFile('nope', ['x'], cb)],
  ['execfile_signal', (cb) => cp.execFile('sh', ['-c', 'kill -KILL $$'], cb)],
  ['exec_abort', (cb) => { const ac = new AbortController(); cp.exec('echo before; sleep 5', { signal: ac.signal }, cb); setTimeout(() => ac.abort(), 200); }],
  ['enc_buffer', (cb) => cp.exec("printf 'a\\351b'", { encoding: 'buffer' }, cb)],
  ['enc_unknown', (cb) => cp.exec('printf ab', { encoding: 'nope' }, cb)],
  ['enc_hex', (cb) => cp.exec("printf 'h\\351'", { encoding: 'hex' }, cb)],
  ['enc_latin1', (cb) => cp.exec("printf 'h\\351'", { encoding: 'latin1' }, cb)],
  ['enc_base64', (cb) => cp.execFile('printf', ['hello'], { encoding: 'base64' }, cb)],
  ['enc_utf16le', (cb) => cp.exec("printf 'a\\000b\\000'", { encoding: 'UTF-16LE' }, cb)],
  ['enc_fail_hex', (cb) => cp.exec('printf e >&2; exit 1', { encoding: 'hex' }, cb)],
  ['max_utf8', (cb) => cp.exec("printf '\\303\\251\\303\\251\\303\\251\\303\\251\\303\\251'", { maxBuffer: 5 }, cb)],
  ['max_hex', (cb) => cp.execFile('printf', ['abcdef'], { maxBuffer: 2, encoding: 'hex' }, cb)],
  ['max_buffer', (cb) => cp.execFile('printf', ['abcdef'], { maxBuffer: 3, encoding: 'buffer' }, cb)],
  ['max_stderr', (cb) => cp.exec('printf abcdef >&2', { maxBuffer: 4 }, cb)],
  // The timeout destroys the outputs before the signal: the shell ignores SIGTERM and dies of
  // SIGPIPE at its echo.
  ['timeout_trap', (cb) => cp.exec('trap "" TERM; sleep 0.5; echo done', { timeout: 100 }, cb)],
  // Thrown by Node (here the callback's error): an empty command, a NUL byte, a cwd that is a
  // file (spawn ENOTDIR, no path).
  ['empty', (cb) => { try { cp.exec('', cb); } catch (e) { cb(e, '', ''); } }],
  ['nul_arg', (cb) => { try { cp.execFile('echo', ['a\0b'], cb); } catch (e) { cb(e, '', ''); } }],
  ['nul_long', (cb) => { try { cp.execFile('echo', ['ok', `${'x'.repeat(200)}\0`], cb); } catch (e) { cb(e, '', ''); } }],
  ['cwd_notdir', (cb) => { try { cp.execFile('pwd', [], { cwd: '/etc/passwd' }, cb); } catch (e) { cb(e, '', ''); } }],
  // A script without #! runs through /bin/sh.
  ['no_shebang', (cb) => cp.execFile(`${__dirname}/no_shebang`, ['arg'], cb)],
];
const kind = (o) => (Buffer.isBuffer(o) ? 'buffer' : typeof o);
const next = () => { const c = cases.shift(); if (!c) return; c[1]((err, stdout, stderr) => { console.log(JSON.stringify({ case: c[0], err: e2(err), stdout: String(stdout), stderr: String(stderr), kinds: [kind(stdout), kind(stderr)] })); next(); }); };
next();
