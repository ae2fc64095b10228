//! koa-compose's semantics: the onion order, a second `next()` rejecting with Koa's
//! message, errors travelling outward to the first middleware that handles them.

use std::cell::RefCell;
use std::rc::Rc;

use nodestd_http::{Middleware, MiddlewareError, MwFuture, Next, compose};

type Log = Rc<RefCell<Vec<String>>>;

fn mw(f: impl Fn(Log, Next<Log>) -> MwFuture + 'static) -> Middleware<Log> {
    Rc::new(f)
}

fn run(chain: Vec<Middleware<Log>>) -> (Vec<String>, Result<(), MiddlewareError>) {
    let log: Log = Rc::default();
    let l = Rc::clone(&log);
    let result = nodestd_loop::block_on(async move { compose(chain)(l).await }).unwrap();
    let v = log.borrow().clone();
    (v, result)
}

fn step(log: &Log, s: &str) {
    log.borrow_mut().push(s.to_owned());
}

#[test]
fn onion_order() {
    let (log, r) = run(vec![
        mw(|l, n| {
            Box::pin(async move {
                step(&l, "a1");
                n.run().await?;
                step(&l, "a2");
                Ok(())
            })
        }),
        mw(|l, n| {
            Box::pin(async move {
                step(&l, "b1");
                n.run().await?;
                step(&l, "b2");
                Ok(())
            })
        }),
    ]);
    assert_eq!(r, Ok(()));
    assert_eq!(log, ["a1", "b1", "b2", "a2"]);
}

#[test]
fn next_twice_rejects_and_errors_propagate() {
    let (log, r) = run(vec![
        mw(|l, n| {
            Box::pin(async move {
                match n.run().await {
                    Err(e) => step(&l, &format!("caught: {e}")),
                    Ok(()) => step(&l, "no error"),
                }
                Ok(())
            })
        }),
        mw(|_, n| {
            Box::pin(async move {
                n.run().await?;
                n.run().await
            })
        }),
    ]);
    assert_eq!(r, Ok(()));
    assert_eq!(log, ["caught: next() called multiple times"]);

    let (log, r) = run(vec![
        mw(|l, n| {
            Box::pin(async move {
                let r = n.run().await;
                step(&l, "a2 skipped?");
                r
            })
        }),
        mw(|_, _| Box::pin(async move { Err(MiddlewareError::new("boom")) })),
    ]);
    assert_eq!(r, Err(MiddlewareError::new("boom")));
    assert_eq!(log, ["a2 skipped?"]);
}
