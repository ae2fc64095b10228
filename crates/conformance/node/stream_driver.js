// Stream event-order scenarios: reads one scenario per line (JSON) on stdin, runs them one
// after another (the next starts from 'beforeExit', when the loop is empty) and prints each
// trace after a "== NAME" line. The Rust twin is crates/conformance/src/bin/stream-trace.rs;
// the format is described in crates/conformance/fixtures/stream-scenarios/README.md.
'use strict';
const { Readable, Writable, Duplex, Transform, PassThrough, pipeline, finished } = require('stream');

const out = [];
const log = (s) => out.push(s);
const show = (c) => (typeof c === 'string' ? JSON.stringify(c) : JSON.stringify(c.toString('latin1')));
const showErr = (e) => (e ? `${e.code || '-'} ${e.message}` : 'null');

function later(timing, f) {
  if (timing === 'tick') process.nextTick(f);
  else if (timing === 'immediate') setImmediate(f);
  else if (timing === 'micro') queueMicrotask(f);
  else f();
}

// A source item: a Buffer of the item's latin1 bytes, or (with `source_enc`) the item as a
// string, pushed without an encoding argument (`""`) or with `source_enc`.
function pushSource(stream, spec, item) {
  if (item === null || spec.source_enc === undefined) {
    stream.push(item === null ? null : Buffer.from(item, 'latin1'));
  } else if (spec.source_enc === '') {
    stream.push(item);
  } else {
    stream.push(item, spec.source_enc);
  }
}

// Runs f, logging `ID LABEL CODE MESSAGE` if it throws (an unknown encoding).
function guarded(id, label, f) {
  try {
    return f();
  } catch (e) {
    log(`${id} ${label} ${showErr(e)}`);
    return undefined;
  }
}

function build(spec) {
  const o = {};
  if (spec.hwm !== undefined) o.highWaterMark = spec.hwm;
  if (spec.object) o.objectMode = true;
  if (spec.emit_close === false) o.emitClose = false;
  if (spec.auto_destroy === false) o.autoDestroy = false;
  if (spec.allow_half_open === false) o.allowHalfOpen = false;
  const id = spec.id;
  if (spec.construct) {
    o.construct = function (cb) {
      log(`${id} _construct`);
      later(spec.construct, () => cb(spec.construct_fail ? new Error('construct failed') : null));
    };
  }
  if (spec.kind === 'readable' || spec.kind === 'duplex') {
    let i = 0;
    const src = spec.source || [];
    o.read = function (n) {
      log(`${id} _read ${n}`);
      if (spec.timing === 'manual') return;
      if (spec.error_after !== undefined && i === spec.error_after) {
        i++;
        later(spec.timing, () => this.destroy(new Error('source failed')));
        return;
      }
      const item = i < src.length ? src[i] : null;
      i++;
      later(spec.timing, () => pushSource(this, spec, item));
    };
    if (spec.kind === 'duplex') {
      o.write = function (chunk, enc, cb) {
        log(`${id} _write ${show(chunk)}`);
        later(spec.timing, () => cb());
      };
      const d = new Duplex(o);
      if (spec.encoding) d.setEncoding(spec.encoding);
      return d;
    }
    const r = new Readable(o);
    if (spec.encoding) r.setEncoding(spec.encoding);
    return r;
  }
  if (spec.kind === 'writable') {
    o.write = function (chunk, enc, cb) {
      log(`${id} _write ${show(chunk)}`);
      const fail = spec.fail !== undefined && chunk.toString('latin1') === spec.fail;
      later(spec.timing, () => cb(fail ? new Error('write failed') : null));
    };
    if (spec.writev) {
      o.writev = function (chunks, cb) {
        log(`${id} _writev [${chunks.map((c) => show(c.chunk)).join(',')}]`);
        later(spec.timing, () => cb());
      };
    }
    if (spec.final) {
      o.final = function (cb) {
        log(`${id} _final`);
        later(spec.final, () => cb());
      };
    }
    return new Writable(o);
  }
  if (spec.kind === 'transform') {
    o.transform = function (chunk, enc, cb) {
      log(`${id} _transform ${show(chunk)}`);
      const s = chunk.toString('latin1');
      if (spec.fail !== undefined && s === spec.fail) {
        later(spec.timing, () => cb(new Error('transform failed')));
        return;
      }
      later(spec.timing, () => cb(null, Buffer.from(s.toUpperCase(), 'latin1')));
    };
    if (spec.flush !== undefined) {
      o.flush = function (cb) {
        log(`${id} _flush`);
        later(spec.timing, () => cb(null, Buffer.from(spec.flush, 'latin1')));
      };
    }
    return new Transform(o);
  }
  if (spec.kind === 'passthrough') return new PassThrough(o);
  throw new Error(`unknown kind ${spec.kind}`);
}

function runOps(S, ops) {
  for (const op of ops) runOp(S, op);
}

function listen(S, id, ev) {
  const s = S[id];
  switch (ev) {
    case 'data': s.on('data', (c) => log(`${id} data ${show(c)}`)); break;
    case 'error': s.on('error', (e) => log(`${id} error ${showErr(e)}`)); break;
    case 'readable': s.on('readable', () => log(`${id} readable`)); break;
    default: s.on(ev, () => log(`${id} ${ev}`));
  }
}

function state(id, s) {
  const parts = [`${id} state`];
  if (s._readableState) {
    parts.push(`flowing=${s.readableFlowing}`, `rlen=${s.readableLength}`, `rended=${s.readableEnded}`);
  }
  if (s._writableState) {
    parts.push(`wlen=${s.writableLength}`, `wended=${s.writableEnded}`, `wfinished=${s.writableFinished}`, `needDrain=${s.writableNeedDrain}`);
  }
  parts.push(`destroyed=${s.destroyed}`);
  return parts.join(' ');
}

function runOp(S, op) {
  const [k] = Object.keys(op);
  const v = op[k];
  switch (k) {
    case 'log': log(v); break;
    case 'tick': process.nextTick(() => runOps(S, v)); break;
    case 'micro': queueMicrotask(() => runOps(S, v)); break;
    case 'immediate': setImmediate(() => runOps(S, v)); break;
    case 'on': listen(S, v[0], v[1]); break;
    case 'on_readable_read':
      S[v].on('readable', () => {
        log(`${v} readable`);
        let c;
        while ((c = S[v].read()) !== null) log(`${v} read ${show(c)}`);
      });
      break;
    case 'read': {
      const c = S[v[0]].read(v[1] === null ? undefined : v[1]);
      log(`${v[0]} read ${c === null ? 'null' : show(c)}`);
      break;
    }
    case 'write': log(`${v[0]} write ${show(v[1])} ${S[v[0]].write(Buffer.from(v[1], 'latin1'))}`); break;
    case 'write_cb': {
      const r = S[v[0]].write(Buffer.from(v[1], 'latin1'), (e) => log(`${v[0]} write-cb ${show(v[1])} ${showErr(e)}`));
      log(`${v[0]} write ${show(v[1])} ${r}`);
      break;
    }
    case 'end':
      if (v[1] === null) S[v[0]].end(); else S[v[0]].end(Buffer.from(v[1], 'latin1'));
      break;
    case 'end_cb':
      S[v[0]].end((e) => log(`${v[0]} end-cb ${showErr(e)}`));
      break;
    case 'push': log(`${v[0]} push ${S[v[0]].push(v[1] === null ? null : Buffer.from(v[1], 'latin1'))}`); break;
    case 'unshift': S[v[0]].unshift(Buffer.from(v[1], 'latin1')); break;
    case 'push_str': {
      const r = guarded(v[0], 'push-throw', () => (v[2] === null ? S[v[0]].push(v[1]) : S[v[0]].push(v[1], v[2])));
      if (r !== undefined) log(`${v[0]} push ${r}`);
      break;
    }
    case 'unshift_str':
      guarded(v[0], 'unshift-throw', () => (v[2] === null ? S[v[0]].unshift(v[1]) : S[v[0]].unshift(v[1], v[2])));
      break;
    case 'resume': S[v].resume(); break;
    case 'pause': S[v].pause(); break;
    case 'cork': S[v].cork(); break;
    case 'uncork': S[v].uncork(); break;
    case 'pipe': S[v[0]].pipe(S[v[1]], { end: v[2] }); break;
    case 'unpipe': S[v[0]].unpipe(S[v[1]]); break;
    case 'destroy': S[v[0]].destroy(v[1] === null ? undefined : new Error(v[1])); break;
    case 'set_encoding': guarded(v[0], 'set_encoding-throw', () => S[v[0]].setEncoding(v[1])); break;
    case 'state': log(state(v, S[v])); break;
    case 'finished': finished(S[v], (e) => log(`${v} finished ${showErr(e)}`)); break;
    case 'pipeline': pipeline(...v.map((id) => S[id]), (e) => log(`pipeline ${showErr(e)}`)); break;
    default: throw new Error(`unknown op ${k}`);
  }
}

function runScenario(sc) {
  const S = {};
  for (const spec of sc.streams) S[spec.id] = build(spec);
  log(`== ${sc.name}`);
  runOps(S, sc.ops);
}

const scenarios = require('fs').readFileSync(0, 'utf8').split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l));
let next = 0;
// Each scenario starts from an immediate queued when the loop is empty, so that it runs
// alone and the loop stays alive for it.
// After the last one the trace is written (from beforeExit, so a pipe gets all of it).
let written = false;
function startNext() {
  if (next < scenarios.length) {
    const sc = scenarios[next++];
    setImmediate(() => runScenario(sc));
  } else if (!written) {
    written = true;
    process.stdout.write(out.map((l) => l + '\n').join(''));
  }
}
process.on('beforeExit', startNext);
startNext();
