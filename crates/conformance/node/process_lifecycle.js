// The scenarios of crates/process/tests/process_lifecycle.rs, in Node: the same output and
// exit code are expected from both. Usage: node process_lifecycle.js SCENARIO
'use strict';
const scenario = process.argv[2];
const log = (s) => process.stdout.write(s + '\n');

switch (scenario) {
  case 'exit_code':
    process.on('beforeExit', (c) => log(`beforeExit ${c}`));
    process.on('exit', (c) => log(`exit ${c}`));
    process.exitCode = 3;
    log('main');
    break;
  case 'explicit_exit':
    process.on('beforeExit', (c) => log(`beforeExit ${c}`));
    process.on('exit', (c) => log(`exit ${c}`));
    process.exitCode = 4;
    setTimeout(() => { log('timeout'); process.exit(5); }, 1);
    setTimeout(() => log('never'), 50);
    break;
  case 'uncaught':
    process.on('beforeExit', (c) => log(`beforeExit ${c}`));
    process.on('exit', (c) => log(`exit ${c}`));
    process.exitCode = 5;
    setTimeout(() => { throw new Error('boom'); }, 1);
    setTimeout(() => log('never'), 50);
    break;
  case 'uncaught_handled':
    process.on('uncaughtException', (e) => log(`caught ${e.message}`));
    process.on('exit', (c) => log(`exit ${c}`));
    setTimeout(() => { throw new Error('boom'); }, 1);
    setTimeout(() => log('after'), 20);
    break;
  case 'before_exit_schedules': {
    let n = 0;
    process.on('beforeExit', (c) => {
      log(`beforeExit ${c}`);
      if (n < 2) { n += 1; const k = n; setTimeout(() => log(`tick ${k}`), 1); }
    });
    process.on('exit', (c) => log(`exit ${c}`));
    process.nextTick(() => log('nextTick'));
    setImmediate(() => log('immediate'));
    log('main');
    break;
  }
  case 'exit_listener_sets_code':
    process.on('exit', (c) => { log(`exit ${c}`); process.exitCode = 9; });
    break;
  case 'signal_unref':
    process.on('SIGINT', () => log('never'));
    process.on('exit', (c) => log(`exit ${c}`));
    break;
  case 'sigterm_handled':
  case 'sigint_handled': {
    process.on(scenario.startsWith('sigint') ? 'SIGINT' : 'SIGTERM', (s) => { log(`got ${s}`); process.exit(7); });
    process.on('exit', (c) => log(`exit ${c}`));
    setInterval(() => {}, 1000);
    log('ready');
    break;
  }
  case 'uncaught_main':
    process.on('exit', (c) => log(`exit ${c}`));
    setTimeout(() => log('never'), 1);
    log('main');
    throw new Error('boom');
  case 'exit_in_before_exit':
    process.on('beforeExit', (c) => { log(`beforeExit ${c}`); process.exit(2); });
    process.on('exit', (c) => log(`exit ${c}`));
    setTimeout(() => log('timeout'), 1);
    break;
  case 'exit_in_main':
    process.on('exit', (c) => log(`exit ${c}`));
    process.nextTick(() => log('never'));
    setTimeout(() => log('never'), 1);
    process.exit();
    break;
  case 'sigterm_removed': {
    const f = () => log('never');
    process.on('SIGTERM', f);
    process.off('SIGTERM', f);
    setInterval(() => {}, 1000);
    log('ready');
    break;
  }
  case 'warnings': {
    process.on('warning', (w) => log(`warning ${w.name} ${w.code} ${w.message}`));
    process.emitWarning('careful');
    process.emitWarning('old', 'DeprecationWarning', 'DEP0999');
    const em = new (require('events'))();
    for (let i = 0; i < 11; i++) em.on('x', () => {});
    log('main');
    break;
  }
  case 'uncaught_monitor':
  case 'uncaught_monitor_handled':
    process.on('uncaughtExceptionMonitor', (e) => log(`monitor ${e.message}`));
    if (scenario.endsWith('handled')) process.on('uncaughtException', (e) => log(`handled ${e.message}`));
    process.on('exit', (c) => log(`exit ${c}`));
    setTimeout(() => { throw new Error('boom'); }, 1);
    setTimeout(() => log('later'), 20);
    break;
  case 'exit_listener_throws':
    process.on('exit', (c) => { log(`exit ${c}`); throw new Error('thrown in exit'); });
    process.on('exit', () => log('never'));
    break;
  case 'exit_listener_throws_after_exit':
    process.on('exit', (c) => { log(`exit ${c}`); throw new Error('thrown in exit'); });
    setTimeout(() => process.exit(5), 1);
    break;
  case 'sigterm_default':
  case 'sigint_default':
    setInterval(() => {}, 1000);
    log('ready');
    break;
  default:
    throw new Error(`unknown scenario ${scenario}`);
}
