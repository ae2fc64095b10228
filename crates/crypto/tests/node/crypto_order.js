// The order of completions of crypto's promise and callback forms (issue 13): a promise
// form's work is queued at the call, so with one worker thread the jobs complete in the order
// of the calls, whichever form; an argument error rejects the promise at once (before any
// work completes) and is thrown at once by the callback form. Run with UV_THREADPOOL_SIZE=1;
// prints the order. Recorded in crypto_order.expected.
const crypto = require('crypto');
const util = require('util');
const out = [];
util.promisify(crypto.pbkdf2)('pw', 'salt', 1000, 16, 'sha256').then(() => out.push('promise pbkdf2'));
crypto.hkdf('sha256', 'ikm', 'salt', 'info', 16, () => out.push('callback hkdf'));
util.promisify(crypto.randomBytes)(16).then(() => out.push('promise randomBytes'));
crypto.scrypt('pw', 'salt', 16, { N: 1024 }, () => out.push('callback scrypt'));
util.promisify(crypto.pbkdf2)('pw', 'salt', 0, 16, 'sha256').catch((e) => out.push(`rejected ${e.code}`));
try {
  crypto.pbkdf2('pw', 'salt', 0, 16, 'sha256', () => out.push('never'));
} catch (e) {
  out.push(`thrown ${e.code}`);
}
process.on('exit', () => console.log(out.join(',')));
