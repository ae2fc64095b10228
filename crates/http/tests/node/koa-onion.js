// The Node twin of examples/koa-onion.rs: koa-compose's semantics, written out.
'use strict';
const { serve } = require('./contract');
function compose(middleware) {
  return function (ctx, next) {
    let index = -1;
    function dispatch(i) {
      if (i <= index) return Promise.reject(new Error('next() called multiple times'));
      index = i;
      let fn = middleware[i];
      if (i === middleware.length) fn = next;
      if (!fn) return Promise.resolve();
      try {
        return Promise.resolve(fn(ctx, dispatch.bind(null, i + 1)));
      } catch (err) {
        return Promise.reject(err);
      }
    }
    return dispatch(0);
  };
}
const path = (ctx) => ctx.req.url.split('?')[0];
const a = async (ctx, next) => {
  ctx.trace.push('a1');
  try { await next(); } catch (e) { ctx.status = 500; ctx.body = 'caught: ' + e.message; return; }
  ctx.trace.push('a2');
  if (ctx.req.method === 'GET' && path(ctx) === '/') { ctx.status = 200; ctx.body = ctx.trace.join(' '); }
  else { ctx.status = 404; ctx.body = 'not found'; }
};
const b = async (ctx, next) => {
  ctx.trace.push('b1');
  await next();
  if (path(ctx) === '/twice') await next();
  ctx.trace.push('b2');
};
const c = (ctx, next) => {
  ctx.trace.push('c1');
  if (path(ctx) === '/throw') throw new Error('boom');
  return next().then(() => { ctx.trace.push('c2'); });
};
const run = compose([a, b, c]);
serve((req, res) => {
  const ctx = { req, res, status: 404, body: 'Not Found', trace: [] };
  run(ctx).then(() => {
    res.statusCode = ctx.status;
    res.setHeader('Content-Type', 'text/plain');
    res.end(ctx.body);
  });
});
