//! An Express-style router on top of the Koa-mini [`App`]: `use_` matches a path prefix,
//! `get`/`post`/`all` match the whole path with `:name` parameters (in `ctx.state`). The
//! first matching route runs; its `next()` goes on to the app's next middleware (Express
//! would try the router's further routes first).
//! `router --port P`: `GET /` hello, `GET /users/:id` the id, `POST /users/:id/echo` the
//! body back, `/api/...` under a prefix middleware that tags the reply.

mod common;

use std::rc::Rc;

use nodestd_http::{App, Context, MiddlewareError, MwFuture, Next};

type Handler = Rc<dyn Fn(Rc<Context>, Next<Rc<Context>>) -> MwFuture>;

/// One route: a method (`None` for `use`/`all`), a pattern, and whether it is a prefix.
struct Route {
    method: Option<&'static str>,
    pattern: &'static str,
    prefix: bool,
    handler: Handler,
}

/// Matches `path` against `pattern` (`:name` segments bind); a prefix route matches a
/// path that starts with its segments.
fn matches(pattern: &str, path: &str, prefix: bool) -> Option<Vec<(String, String)>> {
    let pat: Vec<&str> = pattern.split('/').filter(|s| !s.is_empty()).collect();
    let segs: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    if segs.len() < pat.len() || (!prefix && segs.len() != pat.len()) {
        return None;
    }
    let mut params = Vec::new();
    for (p, s) in pat.iter().zip(&segs) {
        match p.strip_prefix(':') {
            Some(name) => params.push((name.to_owned(), (*s).to_owned())),
            None if p == s => {}
            None => return None,
        }
    }
    Some(params)
}

/// Express's `Router`, as one middleware for the App.
#[derive(Default)]
struct Router {
    routes: Vec<Route>,
}

impl Router {
    fn add(
        mut self,
        method: Option<&'static str>,
        pattern: &'static str,
        prefix: bool,
        h: Handler,
    ) -> Self {
        self.routes.push(Route {
            method,
            pattern,
            prefix,
            handler: h,
        });
        self
    }

    /// Runs the first matching route; none → the next middleware.
    fn into_middleware(self) -> impl Fn(Rc<Context>, Next<Rc<Context>>) -> MwFuture {
        let routes = Rc::new(self.routes);
        move |ctx, next| {
            let routes = Rc::clone(&routes);
            Box::pin(async move {
                for r in routes.iter() {
                    if r.method.is_some_and(|m| m != ctx.method()) {
                        continue;
                    }
                    if let Some(params) = matches(r.pattern, ctx.path(), r.prefix) {
                        ctx.state.borrow_mut().extend(params);
                        return (r.handler)(Rc::clone(&ctx), next).await;
                    }
                }
                next.run().await
            })
        }
    }
}

fn h(f: impl Fn(Rc<Context>, Next<Rc<Context>>) -> MwFuture + 'static) -> Handler {
    Rc::new(f)
}

fn main() {
    nodestd_loop::run(|| {
        let router = Router::default()
            .add(
                None,
                "/api",
                true,
                h(|ctx, next| {
                    Box::pin(async move {
                        next.run().await?;
                        ctx.res.set_header("X-Api", "1");
                        Ok(())
                    })
                }),
            )
            .add(
                Some("GET"),
                "/",
                false,
                h(|ctx, _| {
                    Box::pin(async move {
                        ctx.set_body("hello");
                        Ok(())
                    })
                }),
            )
            .add(
                Some("GET"),
                "/users/:id",
                false,
                h(|ctx, _| {
                    Box::pin(async move {
                        let id = ctx.state.borrow().get("id").cloned().unwrap_or_default();
                        ctx.set_body(format!("user {id}"));
                        Ok(())
                    })
                }),
            )
            .add(
                Some("POST"),
                "/users/:id/echo",
                false,
                h(|ctx, _| {
                    Box::pin(async move {
                        let body = read_body(&ctx).await;
                        ctx.set_body(body);
                        Ok(())
                    })
                }),
            )
            .add(
                None,
                "/boom",
                false,
                h(|_, _| Box::pin(async move { Err(MiddlewareError::new("boom")) })),
            );
        let app = App::new().use_(router.into_middleware());
        common::serve(app.into_server(common::contract_options()));
    });
}

/// The request body, gathered.
async fn read_body(ctx: &Context) -> Vec<u8> {
    let (resolver, promise) = nodestd_loop::promise::<Vec<u8>>();
    let buf = Rc::new(std::cell::RefCell::new(Vec::new()));
    let b = Rc::clone(&buf);
    ctx.req
        .body()
        .on_data(move |c: &nodestd_stream::Chunk| b.borrow_mut().extend_from_slice(c.as_bytes()));
    let resolver = std::cell::RefCell::new(Some(resolver));
    ctx.req.body().on_end(move || {
        if let Some(r) = resolver.borrow_mut().take() {
            r.resolve(std::mem::take(&mut *buf.borrow_mut()));
        }
    });
    promise.await.unwrap_or_default()
}
