// The order of completions of a promise form called before a callback form (issue 13):
// fs.promises.readFile's work starts at the call, so with one worker thread it completes
// first. Run with UV_THREADPOOL_SIZE=1; prints the order. Recorded in work_order.expected.
const fs = require('fs');
const [a, b] = process.argv.slice(2);
const out = [];
fs.promises.readFile(a).then(() => out.push('promise a'));
fs.readFile(b, () => out.push('callback b'));
process.on('exit', () => console.log(out.join(',')));
