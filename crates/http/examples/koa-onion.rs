//! `koa-onion --port P`: middleware a, b, c under Koa's compose (issue 14's contract; twin:
//! tests/node/koa-onion.js). `GET /` → `a1 b1 c1 c2 b2 a2`; `/throw` → 500 `caught: boom`;
//! `/twice` → 500 `caught: next() called multiple times`; else 404 `not found`.

mod common;

use std::rc::Rc;

use nodestd_http::{App, Context, MiddlewareError};

/// Appends a step to the trace in `ctx.state`.
fn step(ctx: &Context, s: &str) {
    let mut st = ctx.state.borrow_mut();
    let t = st.entry("trace".to_owned()).or_default();
    if !t.is_empty() {
        t.push(' ');
    }
    t.push_str(s);
}

fn main() {
    nodestd_loop::run(|| {
        let app = App::new()
            .use_(|ctx: Rc<Context>, next| async move {
                step(&ctx, "a1");
                if let Err(e) = next.run().await {
                    ctx.set_status(500);
                    ctx.set_body(format!("caught: {}", e.message));
                    ctx.set_status(500);
                    return Ok(());
                }
                step(&ctx, "a2");
                if ctx.method() == "GET" && ctx.path() == "/" {
                    let t = ctx.state.borrow().get("trace").cloned().unwrap_or_default();
                    ctx.set_body(t);
                } else {
                    ctx.set_status(404);
                    ctx.set_body("not found");
                    ctx.set_status(404);
                }
                Ok(())
            })
            .use_(|ctx: Rc<Context>, next| async move {
                step(&ctx, "b1");
                next.run().await?;
                if ctx.path() == "/twice" {
                    next.run().await?;
                }
                step(&ctx, "b2");
                Ok(())
            })
            .use_(|ctx: Rc<Context>, next| async move {
                step(&ctx, "c1");
                if ctx.path() == "/throw" {
                    return Err(MiddlewareError::new("boom"));
                }
                next.run().await?;
                step(&ctx, "c2");
                Ok(())
            });
        let opts = common::contract_options();
        common::serve(app.into_server(opts));
    });
}
