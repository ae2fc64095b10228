// What the Node twins share: `--port P`, issue 14's server settings, banner and SIGTERM.
'use strict';
const http = require('http');
exports.serve = (handler) => {
  const i = process.argv.indexOf('--port');
  const port = i >= 0 ? Number(process.argv[i + 1]) : 0;
  const server = http.createServer({
    headersTimeout: 4000, requestTimeout: 10000, keepAliveTimeout: 5000,
    connectionsCheckingInterval: 250,
  }, handler);
  server.listen(port, '127.0.0.1', () => {
    process.stdout.write('listening on ' + server.address().port + '\n');
  });
  process.on('SIGTERM', () => server.close(() => process.exit(0)));
  return server;
};
