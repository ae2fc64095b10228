// url_legacy_driver.js: the oracle for crates/conformance/tests/url_legacy_differential.rs.
//
// Reads JSON lines `{"fn": "parse" | "format" | "resolve" | "resolveObject" | "hostname",
// "args": [...]}` (`hostname` is `url.parse(...args).hostname`, for the code point probe)
// on stdin and writes one JSON line per input: `{"result": ...}` or `{"throws": CODE}` (the
// error's code, or its constructor name when it has none), as the `conform` runner answers.
// `parse` and `resolveObject` results are the Url object as JSON, `undefined` fields written
// as `null`.
'use strict';

process.noDeprecation = true;
const url = require('url');

const asJson = (v) => JSON.parse(JSON.stringify(v, (k, x) => (x === undefined ? null : x)));

function call(fn, args) {
  switch (fn) {
    case 'parse': return asJson(url.parse(...args));
    case 'format': return url.format(...args);
    case 'resolve': return url.resolve(...args);
    case 'resolveObject': return asJson(url.resolveObject(...args));
    case 'hostname': return url.parse(...args).hostname;
    default: throw new Error(`unknown fn ${fn}`);
  }
}

const chunks = [];
process.stdin.on('data', (c) => chunks.push(c));
process.stdin.on('end', () => {
  const lines = Buffer.concat(chunks).toString('utf8').split('\n');
  const out = [];
  for (const line of lines) {
    if (line.trim() === '') continue;
    const { fn, args } = JSON.parse(line);
    let answer;
    try {
      answer = { result: call(fn, args) };
    } catch (e) {
      answer = { throws: (e && e.code) || (e && e.constructor && e.constructor.name) || 'Error' };
    }
    out.push(JSON.stringify(answer));
  }
  process.stdout.write(out.join('\n') + '\n');
});
