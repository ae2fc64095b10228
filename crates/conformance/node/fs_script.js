// The JavaScript twin of `fs-script` (crates/conformance/src/bin/fs-script.rs): runs one fs
// script (fixtures/fs-scripts/README.md) through live node's fs in a fresh temp dir and prints
// one JSON line per operation, then the final tree. Usage: node fs_script.js FILE.json [--mode
// sync|callback|promise]
'use strict';
const fs = require('fs');
const fsp = fs.promises;
const os = require('os');
const path = require('path');

const file = process.argv[2];
const mi = process.argv.indexOf('--mode');
const mode = mi > 0 ? process.argv[mi + 1] : 'sync';
const script = JSON.parse(fs.readFileSync(file, 'utf8'));

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'nodestd-fs-script-'));
const tmpReal = fs.realpathSync(tmp);
process.chdir(tmp);

function scrub(s) {
  return s.split(tmpReal).join('<tmp>').split(tmp).join('<tmp>');
}

const saved = new Map();
const kept = [];
// mkdtemp results (relative paths) and their normalised form, applied to the tree too.
const temps = [];

function arg(v) {
  if (Array.isArray(v)) return v.map(arg);
  if (v && typeof v === 'object') {
    if ('$ref' in v) return saved.get(v.$ref);
    if ('$buffer' in v) return Buffer.from(v.$buffer, 'base64');
    if ('$alloc' in v) return Buffer.alloc(v.$alloc);
    if ('$undefined' in v) return undefined;
    const o = {};
    for (const [k, x] of Object.entries(v)) o[k] = arg(x);
    return o;
  }
  return v;
}

function kind(s) {
  if (s.isFile()) return 'file';
  if (s.isDirectory()) return 'dir';
  if (s.isSymbolicLink()) return 'symlink';
  return 'other';
}

function norm(op, v) {
  if (v === undefined || v === null) return null;
  if (op === 'open') return '<fd>';
  if (v instanceof fs.Stats) {
    const o = { type: kind(v), mode: v.mode & 0o7777, nlink: v.nlink };
    if (!v.isDirectory()) o.size = v.size;
    return o;
  }
  if (v instanceof fs.Dirent) {
    return { name: v.name, parentPath: scrub(String(v.parentPath)), type: kind(v) };
  }
  if (Buffer.isBuffer(v)) return { base64: v.toString('base64') };
  if (Array.isArray(v)) return v.map((x) => norm(op, x));
  if (typeof v === 'string') {
    const s = scrub(v);
    if (op === 'mkdtemp') {
      temps.push([v, v.slice(0, -6) + 'XXXXXX']);
      return s.slice(0, -6) + 'XXXXXX';
    }
    return s;
  }
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'object') {
    const o = {};
    for (const [k, x] of Object.entries(v)) o[k] = norm(op, x);
    return o;
  }
  return v;
}

function normErr(step, e) {
  if (step.op === 'mkdtemp' && typeof e.path === 'string' && typeof step.args[0] === 'string') {
    const fixed = step.args[0] + 'XXXXXX';
    e.message = e.message.split(e.path).join(fixed);
    e.path = fixed;
  }
  // The asynchronous cp stats src and dest concurrently (Promise.all): which failure Node
  // reports is a race, so only the syscall is printed (README: Normalisation).
  if (step.op === 'cp' && mode !== 'sync' && (e.syscall === 'lstat' || e.syscall === 'stat')) {
    return { race: e.syscall };
  }
  const o = { code: e.code };
  if (e.errno !== undefined) o.errno = e.errno;
  if (e.syscall !== undefined) o.syscall = e.syscall;
  if (e.path !== undefined) o.path = scrub(String(e.path));
  if (e.dest !== undefined) o.dest = scrub(String(e.dest));
  o.message = scrub(e.message);
  return o;
}

// Ops whose buffer argument is part of the result (read, readv): the buffer(s) are printed.
const FD_OPS = new Set(['read', 'write', 'readv', 'writev', 'fstat', 'close', 'ftruncate',
  'fsync', 'fdatasync', 'futimes', 'fchmod', 'fchown']);
const HANDLE_METHOD = { read: 'read', write: 'write', readv: 'readv', writev: 'writev',
  fstat: 'stat', close: 'close', ftruncate: 'truncate', fsync: 'sync', fdatasync: 'datasync',
  futimes: 'utimes', fchmod: 'chmod', fchown: 'chown' };

function shapeRead(op, args, r) {
  // r: the bytes count; args[1] the buffer(s) read into.
  if (op === 'read') return { bytesRead: r, buffer: norm(op, args[1]) };
  if (op === 'readv') return { bytesRead: r, buffers: norm(op, args[1]) };
  return r;
}

async function dirEntries(dir, how) {
  const out = [];
  for (;;) {
    let d;
    if (how === 'sync') d = dir.readSync();
    else if (how === 'callback') d = await new Promise((res, rej) => dir.read((e, x) => e ? rej(e) : res(x)));
    else d = await dir.read();
    if (d === null) break;
    out.push({ name: d.name, type: kind(d) });
  }
  if (how === 'sync') dir.closeSync(); else await dir.close();
  out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return out;
}

async function run(step) {
  const op = step.op;
  const args = arg(step.args || []);
  if (mode === 'sync') {
    let r;
    if (op === 'realpath.native') r = fs.realpathSync.native(...args);
    else r = fs[op + 'Sync'](...args);
    if (op === 'read' || op === 'readv') return shapeRead(op, args, r);
    if (op === 'opendir') return dirEntries(r, 'sync');
    return r;
  }
  if (mode === 'callback') {
    const fn = op === 'realpath.native' ? fs.realpath.native : fs[op];
    if (op === 'exists') return new Promise((res) => fn(...args, res));
    const r = await new Promise((res, rej) => {
      fn(...args, (e, x) => (e ? rej(e) : res(x)));
    });
    if (op === 'read' || op === 'readv') return shapeRead(op, args, r);
    if (op === 'opendir') return dirEntries(r, 'callback');
    return r;
  }
  // promise
  if (op === 'exists' || op === 'realpath.native') return { unsupported: true };
  if (FD_OPS.has(op)) {
    const [fh, ...rest] = args;
    const r = await fh[HANDLE_METHOD[op]](...rest);
    if (op === 'read' || op === 'readv') return shapeRead(op, args, r.bytesRead);
    if (op === 'write' || op === 'writev') return r.bytesWritten;
    return r;
  }
  const r = await fsp[op](...args);
  if (op === 'opendir') return dirEntries(r, 'promise');
  return r;
}

function tree() {
  const out = [];
  const walk = (rel) => {
    const names = fs.readdirSync(rel === '' ? '.' : rel);
    names.sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
    for (const n of names) {
      const p = rel === '' ? n : rel + '/' + n;
      const s = fs.lstatSync(p);
      let shown = p;
      for (const [from, to] of temps) {
        shown = shown.split(path.basename(from)).join(path.basename(to));
      }
      const e = { path: shown, type: kind(s), mode: s.mode & 0o7777 };
      if (s.isFile()) { e.size = s.size; e.content = fs.readFileSync(p).toString('base64'); }
      if (s.isSymbolicLink()) e.target = scrub(fs.readlinkSync(p));
      out.push(e);
      if (s.isDirectory()) walk(p);
    }
  };
  walk('');
  return out;
}

// Process warnings (DEP0147), printed with the step that raised them: Node emits them on the
// next tick, so each step ends with a turn of the loop (setImmediate) to let them arrive.
const warnings = [];
process.on('warning', (w) => warnings.push({ name: w.name, code: w.code, message: w.message }));

(async () => {
  for (const step of script) {
    let line;
    try {
      const r = await run(step);
      if (step.save) {
        // A value saved over stays reachable: Node's GC would close a FileHandle at a
        // moment of its choosing (with a warning), so only `close` steps close.
        if (saved.has(step.save)) kept.push(saved.get(step.save));
        saved.set(step.save, r);
      }
      line = { op: step.op, result: norm(step.op, r) };
    } catch (e) {
      line = { op: step.op, error: normErr(step, e) };
    }
    await new Promise((res) => setImmediate(res));
    if (warnings.length > 0) line.warnings = warnings.splice(0);
    process.stdout.write(JSON.stringify(line) + '\n');
  }
  process.stdout.write(JSON.stringify({ tree: tree() }) + '\n');
  process.chdir(os.tmpdir());
  fs.rmSync(tmp, { recursive: true, force: true });
})();
