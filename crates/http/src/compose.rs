//! Koa's model: [`compose`] (koa-compose) and the Koa-mini [`App`] with its [`Context`].

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;

use crate::request::IncomingMessage;
use crate::response::ServerResponse;
use crate::server::{Server, ServerOptions, create_server};

/// A rejection travelling through the middleware chain (a thrown `Error`'s message).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MiddlewareError {
    /// `err.message`.
    pub message: String,
}

impl MiddlewareError {
    /// `new Error(message)`.
    pub fn new(message: impl Into<String>) -> MiddlewareError {
        MiddlewareError {
            message: message.into(),
        }
    }
}

impl fmt::Display for MiddlewareError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for MiddlewareError {}

/// What a middleware (and `next()`) returns: a future settling to Ok or a rejection.
pub type MwFuture = Pin<Box<dyn Future<Output = Result<(), MiddlewareError>>>>;

/// A middleware: `async (ctx, next) => ...`.
pub type Middleware<C> = Rc<dyn Fn(C, Next<C>) -> MwFuture>;

/// `next`: runs the rest of the chain; a second call rejects with
/// `Error('next() called multiple times')`, as koa-compose's does.
pub struct Next<C> {
    chain: Rc<[Middleware<C>]>,
    ctx: C,
    i: usize,
    index: Rc<Cell<usize>>,
}

impl<C: Clone + 'static> Clone for Next<C> {
    fn clone(&self) -> Self {
        Next {
            chain: Rc::clone(&self.chain),
            ctx: self.ctx.clone(),
            i: self.i,
            index: Rc::clone(&self.index),
        }
    }
}

impl<C: Clone + 'static> Next<C> {
    /// `await next()`.
    pub fn run(&self) -> MwFuture {
        dispatch(&self.chain, &self.ctx, self.i, &self.index)
    }
}

/// koa-compose's `dispatch(i)`; `index` holds the last dispatched position plus one.
fn dispatch<C: Clone + 'static>(
    chain: &Rc<[Middleware<C>]>,
    ctx: &C,
    i: usize,
    index: &Rc<Cell<usize>>,
) -> MwFuture {
    if i < index.get() {
        return Box::pin(std::future::ready(Err(MiddlewareError::new(
            "next() called multiple times",
        ))));
    }
    index.set(i + 1);
    match chain.get(i) {
        None => Box::pin(std::future::ready(Ok(()))),
        Some(f) => f(
            ctx.clone(),
            Next {
                chain: Rc::clone(chain),
                ctx: ctx.clone(),
                i: i + 1,
                index: Rc::clone(index),
            },
        ),
    }
}

/// `compose(middleware)`: one function running the chain for a context.
pub fn compose<C: Clone + 'static>(middleware: Vec<Middleware<C>>) -> impl Fn(C) -> MwFuture {
    let chain: Rc<[Middleware<C>]> = middleware.into();
    move |ctx| dispatch(&chain, &ctx, 0, &Rc::new(Cell::new(0)))
}

/// Koa's `ctx`: the request and response, the status and body to send, per-request state.
pub struct Context {
    /// `ctx.req`.
    pub req: IncomingMessage,
    /// `ctx.res`.
    pub res: ServerResponse,
    status: Cell<u16>,
    body: RefCell<Option<Vec<u8>>>,
    content_type: RefCell<String>,
    /// `ctx.state`.
    pub state: RefCell<HashMap<String, String>>,
}

impl Context {
    /// `ctx.path`: the URL before `?`.
    pub fn path(&self) -> &str {
        let u = self.req.url();
        u.split('?').next().unwrap_or(u)
    }

    /// `ctx.method`.
    pub fn method(&self) -> &str {
        self.req.method()
    }

    /// `ctx.status`.
    pub fn status(&self) -> u16 {
        self.status.get()
    }

    /// `ctx.status = code`.
    pub fn set_status(&self, code: u16) {
        self.status.set(code);
    }

    /// `ctx.body = text` (sets the status to 200 if it was still the default 404, and the
    /// type to text/plain, as Koa does for a string).
    pub fn set_body(&self, body: impl Into<Vec<u8>>) {
        if self.status.get() == 404 {
            self.status.set(200);
        }
        *self.body.borrow_mut() = Some(body.into());
    }

    /// `ctx.type = mime`.
    pub fn set_type(&self, t: &str) {
        *self.content_type.borrow_mut() = t.to_owned();
    }
}

/// The Koa-mini application: `App::new().use_(mw).listen(port)`.
#[derive(Default)]
pub struct App {
    middleware: Vec<Middleware<Rc<Context>>>,
}

impl App {
    /// `new Koa()`.
    pub fn new() -> App {
        App::default()
    }

    /// `app.use(fn)`.
    #[doc(alias = "use")]
    pub fn use_<F, Fut>(mut self, f: F) -> App
    where
        F: Fn(Rc<Context>, Next<Rc<Context>>) -> Fut + 'static,
        Fut: Future<Output = Result<(), MiddlewareError>> + 'static,
    {
        self.middleware
            .push(Rc::new(move |c, n| Box::pin(f(c, n)) as MwFuture));
        self
    }

    /// `http.createServer(app.callback())`: each request runs the chain, then the status
    /// and body are written (404 `Not Found` when nothing set a body; 500 with the
    /// error's message when the chain rejected).
    #[doc(alias = "createServer")]
    pub fn into_server(self, opts: ServerOptions) -> Server {
        let run = Rc::new(compose(self.middleware));
        create_server(opts, move |req, res| {
            let ctx = Rc::new(Context {
                req,
                res,
                status: Cell::new(404),
                body: RefCell::new(None),
                content_type: RefCell::new("text/plain".to_owned()),
                state: RefCell::new(HashMap::new()),
            });
            let fut = run(Rc::clone(&ctx));
            nodestd_loop::spawn_local(async move {
                let result = fut.await;
                let res = &ctx.res;
                let body = match result {
                    Ok(()) => ctx
                        .body
                        .borrow_mut()
                        .take()
                        .unwrap_or_else(|| b"Not Found".to_vec()),
                    Err(e) => {
                        ctx.status.set(500);
                        e.message.into_bytes()
                    }
                };
                res.set_status_code(ctx.status.get());
                res.set_header("Content-Type", &ctx.content_type.borrow());
                res.end(&body);
            });
        })
    }
}
