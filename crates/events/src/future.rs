//! `events.once` and `events.on`: a future of the next emit and a stream of emits, built on
//! std only, so they run on any executor.

use std::cell::RefCell;
use std::collections::VecDeque;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};

use crate::emitter::EventEmitter;
use crate::event::{Event, Named};
use crate::listener::ListenerId;
use crate::name::EventName;

struct OnceState<T, R> {
    result: Option<Result<T, R>>,
    waker: Option<Waker>,
}

/// The future returned by [`once`].
///
/// Dropping it before it resolves removes its listeners (as aborting Node's `signal` does).
#[must_use = "futures do nothing unless polled"]
pub struct Once<T: 'static, R: 'static> {
    emitter: EventEmitter,
    event: EventName,
    resolver: ListenerId,
    rejecter: Option<ListenerId>,
    state: Rc<RefCell<OnceState<T, R>>>,
}

/// `events.once(emitter, name)`: a future of the next emit of `event` (its payload, cloned),
/// or of the first `error` event (payload `R`) emitted before it, as Node's promise rejects.
///
/// It listens with `once` on both events; whichever comes first removes the other listener.
/// When `event` is itself `error`, no separate error listener is added. `R` must be the
/// payload type the emitter's `error` events carry: a listener of another payload type is
/// not called (see the crate's deviations), yet counts as handling the error.
///
/// ```
/// use nodestd_events::{once, EventEmitter, Named};
/// use std::future::Future;
/// use std::pin::pin;
/// use std::task::{Context, Poll, Waker};
///
/// let em = EventEmitter::new();
/// let ev = Named::<u32>::new("ready");
/// let mut fut = pin!(once::<_, String>(&em, ev.clone()));
/// let mut cx = Context::from_waker(Waker::noop());
/// assert!(fut.as_mut().poll(&mut cx).is_pending());
/// em.emit(ev, 7).unwrap();
/// assert_eq!(fut.as_mut().poll(&mut cx), Poll::Ready(Ok(7)));
///
/// let mut fut = pin!(once::<_, String>(&em, Named::<u32>::new("ready")));
/// em.emit(Named::<String>::error(), "boom".to_owned()).unwrap();
/// assert_eq!(fut.as_mut().poll(&mut cx), Poll::Ready(Err("boom".to_owned())));
/// ```
pub fn once<E, R>(emitter: &EventEmitter, event: E) -> Once<E::Payload, R>
where
    E: Event,
    E::Payload: Clone,
    R: Clone + 'static,
{
    let name = event.name();
    let state = Rc::new(RefCell::new(OnceState {
        result: None,
        waker: None,
    }));
    let rejecter_id: Rc<RefCell<Option<ListenerId>>> = Rc::new(RefCell::new(None));
    let resolver_id: Rc<RefCell<Option<ListenerId>>> = Rc::new(RefCell::new(None));

    let (s, weak, rej) = (state.clone(), emitter.downgrade(), rejecter_id.clone());
    let resolver = emitter.once(event, move |payload: &E::Payload| {
        if let (Some(em), Some(id)) = (weak.upgrade(), *rej.borrow()) {
            em.off("error", id);
        }
        settle(&s, Ok(payload.clone()));
    });
    *resolver_id.borrow_mut() = Some(resolver);

    let rejecter = (!name.is("error")).then(|| {
        let (s, weak, res, ev) = (
            state.clone(),
            emitter.downgrade(),
            resolver_id.clone(),
            name.clone(),
        );
        let id = emitter.once(Named::<R>::error(), move |err: &R| {
            if let (Some(em), Some(id)) = (weak.upgrade(), *res.borrow()) {
                em.off(ev.clone(), id);
            }
            settle(&s, Err(err.clone()));
        });
        *rejecter_id.borrow_mut() = Some(id);
        id
    });
    Once {
        emitter: emitter.clone(),
        event: name,
        resolver,
        rejecter,
        state,
    }
}

fn settle<T, R>(state: &RefCell<OnceState<T, R>>, result: Result<T, R>) {
    let waker = {
        let mut s = state.borrow_mut();
        if s.result.is_none() {
            s.result = Some(result);
        }
        s.waker.take()
    };
    if let Some(w) = waker {
        w.wake();
    }
}

impl<T: 'static, R: 'static> Future for Once<T, R> {
    type Output = Result<T, R>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Result<T, R>> {
        let mut s = self.state.borrow_mut();
        match s.result.take() {
            Some(r) => Poll::Ready(r),
            None => {
                s.waker = Some(cx.waker().clone());
                Poll::Pending
            }
        }
    }
}

impl<T: 'static, R: 'static> Drop for Once<T, R> {
    fn drop(&mut self) {
        // Once settled, both listeners are gone already; removing again is a no-op unless the
        // same ids were re-added, which cannot happen (the ids are this future's own).
        self.emitter.off(self.event.clone(), self.resolver);
        if let Some(id) = self.rejecter {
            self.emitter.off("error", id);
        }
    }
}

struct OnState<T, R> {
    events: VecDeque<T>,
    error: Option<R>,
    finished: bool,
    waker: Option<Waker>,
}

/// The stream returned by [`on`]: call [`next`](On::next) (or [`poll_next`](On::poll_next)).
///
/// Dropping it removes its listeners (Node's `return()`).
pub struct On<T: 'static, R: 'static> {
    emitter: EventEmitter,
    listeners: Rc<RefCell<Vec<(EventName, ListenerId)>>>,
    state: Rc<RefCell<OnState<T, R>>>,
}

/// `events.on(emitter, name)`: every emit of `event` as a stream, ending with an `Err` at the
/// first `error` event (payload `R`), after which it is finished (Node's async iterator).
/// Emits are queued until read.
///
/// ```
/// use nodestd_events::{on, EventEmitter, Named};
/// use std::future::Future;
/// use std::pin::pin;
/// use std::task::{Context, Poll, Waker};
///
/// let em = EventEmitter::new();
/// let ev = Named::<u32>::new("n");
/// let mut stream = on::<_, String>(&em, ev.clone());
/// em.emit(ev.clone(), 1).unwrap();
/// em.emit(ev.clone(), 2).unwrap();
/// em.emit(Named::<String>::error(), "bad".to_owned()).unwrap();
/// let mut cx = Context::from_waker(Waker::noop());
/// let mut next = |s: &mut nodestd_events::On<u32, String>| s.poll_next(&mut cx);
/// assert_eq!(next(&mut stream), Poll::Ready(Some(Ok(1))));
/// assert_eq!(next(&mut stream), Poll::Ready(Some(Ok(2))));
/// assert_eq!(next(&mut stream), Poll::Ready(Some(Err("bad".to_owned()))));
/// assert_eq!(next(&mut stream), Poll::Ready(None));
/// assert_eq!(em.listener_count("n"), 0);
/// ```
pub fn on<E, R>(emitter: &EventEmitter, event: E) -> On<E::Payload, R>
where
    E: Event,
    E::Payload: Clone,
    R: Clone + 'static,
{
    let name = event.name();
    let state = Rc::new(RefCell::new(OnState {
        events: VecDeque::new(),
        error: None,
        finished: false,
        waker: None,
    }));
    let listeners = Rc::new(RefCell::new(Vec::new()));
    let s = state.clone();
    let id = emitter.on(event, move |payload: &E::Payload| {
        let waker = {
            let mut s = s.borrow_mut();
            s.events.push_back(payload.clone());
            s.waker.take()
        };
        if let Some(w) = waker {
            w.wake();
        }
    });
    listeners.borrow_mut().push((name.clone(), id));
    if !name.is("error") {
        let (s, weak, ls) = (state.clone(), emitter.downgrade(), listeners.clone());
        let id = emitter.on(Named::<R>::error(), move |err: &R| {
            s.borrow_mut().error = Some(err.clone());
            if let Some(em) = weak.upgrade() {
                close(&em, &ls, &s);
            }
        });
        listeners
            .borrow_mut()
            .push((Named::<R>::error().name(), id));
    }
    On {
        emitter: emitter.clone(),
        listeners,
        state,
    }
}

/// Node's `closeHandler`: remove every listener (last added first) and finish.
fn close<T, R>(
    emitter: &EventEmitter,
    listeners: &RefCell<Vec<(EventName, ListenerId)>>,
    state: &RefCell<OnState<T, R>>,
) {
    loop {
        let Some((name, id)) = listeners.borrow_mut().pop() else {
            break;
        };
        emitter.off(name, id);
    }
    let waker = {
        let mut s = state.borrow_mut();
        s.finished = true;
        s.waker.take()
    };
    if let Some(w) = waker {
        w.wake();
    }
}

impl<T: 'static, R: 'static> On<T, R> {
    /// Also finish the stream when `event` is emitted (Node's `close` option).
    ///
    /// ```
    /// use nodestd_events::{on, EventEmitter, Named};
    /// use std::task::{Context, Poll, Waker};
    /// let em = EventEmitter::new();
    /// let mut s = on::<_, ()>(&em, Named::<u8>::new("data")).close_on(Named::<()>::new("end"));
    /// em.emit(Named::<u8>::new("data"), 1).unwrap();
    /// em.emit(Named::<()>::new("end"), ()).unwrap();
    /// let mut cx = Context::from_waker(Waker::noop());
    /// assert_eq!(s.poll_next(&mut cx), Poll::Ready(Some(Ok(1))));
    /// assert_eq!(s.poll_next(&mut cx), Poll::Ready(None));
    /// ```
    pub fn close_on<E: Event>(self, event: E) -> On<T, R> {
        let name = event.name();
        let (s, weak, ls) = (
            self.state.clone(),
            self.emitter.downgrade(),
            self.listeners.clone(),
        );
        let id = self.emitter.on(event, move |_: &E::Payload| {
            if let Some(em) = weak.upgrade() {
                close(&em, &ls, &s);
            }
        });
        self.listeners.borrow_mut().push((name, id));
        self
    }

    /// The next payload: `Some(Ok(_))` for an event, `Some(Err(_))` once for an `error`,
    /// then `None` when finished; pending while nothing is queued.
    pub fn poll_next(&mut self, cx: &mut Context<'_>) -> Poll<Option<Result<T, R>>> {
        let mut s = self.state.borrow_mut();
        if let Some(v) = s.events.pop_front() {
            return Poll::Ready(Some(Ok(v)));
        }
        if let Some(e) = s.error.take() {
            return Poll::Ready(Some(Err(e)));
        }
        if s.finished {
            return Poll::Ready(None);
        }
        s.waker = Some(cx.waker().clone());
        Poll::Pending
    }

    /// A future of [`poll_next`](Self::poll_next)'s answer.
    ///
    /// ```
    /// use nodestd_events::{on, EventEmitter, Named};
    /// use std::future::Future;
    /// use std::pin::pin;
    /// use std::task::{Context, Poll, Waker};
    /// let em = EventEmitter::new();
    /// let mut s = on::<_, ()>(&em, Named::<u8>::new("data"));
    /// em.emit(Named::<u8>::new("data"), 5).unwrap();
    /// let mut cx = Context::from_waker(Waker::noop());
    /// assert_eq!(pin!(s.next()).poll(&mut cx), Poll::Ready(Some(Ok(5))));
    /// ```
    // Named after the async iterator's `next()`; it is a future, not `Iterator::next`.
    #[allow(clippy::should_implement_trait)]
    pub fn next(&mut self) -> impl Future<Output = Option<Result<T, R>>> + '_ {
        std::future::poll_fn(move |cx| self.poll_next(cx))
    }
}

impl<T: 'static, R: 'static> Drop for On<T, R> {
    fn drop(&mut self) {
        close(&self.emitter, &self.listeners, &self.state);
    }
}
