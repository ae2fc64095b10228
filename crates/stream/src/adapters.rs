//! Rust-side adapters: `Readable::from` an iterator or an async producer (Node's
//! `Readable.from`), reading as an async iterator (`for await (const chunk of readable)`), and
//! writing with backpressure from async code (`await once(w, 'drain')`). The futures are
//! driven by the loop's executor (`spawn_local`, `block_on`); their wake-ups are microtasks.

use std::cell::RefCell;
use std::collections::VecDeque;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};

use nodestd_loop as nd;

use crate::error::Error;
use crate::stream::{Never, Options, Readable, Stream};

impl<T: 'static> Stream<T, Never> {
    /// `Readable.from(iterable)`: an object-mode readable (high-water mark 1, as Node's)
    /// pushing the iterator's items, one per `_read`.
    ///
    /// ```
    /// use nodestd_stream::Readable;
    /// let got = nodestd_loop::block_on(async {
    ///     let r = Readable::from_iter(vec![1, 2, 3]);
    ///     let mut out = Vec::new();
    ///     while let Some(x) = r.next().await {
    ///         out.push(x.unwrap());
    ///     }
    ///     out
    /// });
    /// assert_eq!(got.unwrap(), vec![1, 2, 3]);
    /// ```
    #[doc(alias = "from")]
    #[allow(clippy::should_implement_trait)] // Node's name: `Readable.from(iterable)`
    pub fn from_iter<I>(iter: I) -> Readable<T>
    where
        I: IntoIterator<Item = T>,
        I::IntoIter: 'static,
    {
        let mut it = iter.into_iter();
        Stream::new_readable(Options::new().object_mode(true).high_water_mark(1).read(
            move |s: &Readable<T>, _| {
                s.push(it.next());
            },
        ))
    }

    /// `Readable.from(asyncIterable)`: `next` is called for each item (a future of
    /// `Some(Ok(item))`, `Some(Err(e))` to destroy the stream with `e`, or `None` at the end),
    /// one at a time, on the loop's executor.
    ///
    /// ```
    /// use nodestd_stream::Readable;
    /// let got = nodestd_loop::block_on(async {
    ///     let mut n = 0;
    ///     let r = Readable::from_async(move || {
    ///         n += 1;
    ///         let v = n;
    ///         async move { (v <= 2).then_some(Ok(v * 10)) }
    ///     });
    ///     let mut out = Vec::new();
    ///     while let Some(x) = r.next().await {
    ///         out.push(x.unwrap());
    ///     }
    ///     out
    /// });
    /// assert_eq!(got.unwrap(), vec![10, 20]);
    /// ```
    #[doc(alias = "from")]
    pub fn from_async<F, Fut>(mut next: F) -> Readable<T>
    where
        F: FnMut() -> Fut + 'static,
        Fut: Future<Output = Option<Result<T, Error>>> + 'static,
    {
        let busy = Rc::new(RefCell::new(false));
        Stream::new_readable(Options::new().object_mode(true).high_water_mark(1).read(
            move |s: &Readable<T>, _| {
                if busy.replace(true) {
                    return;
                }
                let fut = next();
                let s = s.clone();
                let busy = Rc::clone(&busy);
                nd::spawn_local(async move {
                    let item = fut.await;
                    *busy.borrow_mut() = false;
                    match item {
                        Some(Ok(v)) => {
                            s.push(Some(v));
                        }
                        Some(Err(e)) => s.destroy(Some(e)),
                        None => {
                            s.push(None);
                        }
                    }
                });
            },
        ))
    }
}

impl<T: 'static> Stream<T, Never> {
    /// `Readable.from(asyncIterable)` for a [`futures_core::Stream`]: an object-mode readable
    /// of its items, polled one at a time on the loop's executor.
    ///
    /// ```
    /// use nodestd_stream::Readable;
    /// use std::pin::Pin;
    /// use std::task::{Context, Poll};
    ///
    /// struct Count(u32);
    /// impl futures_core::Stream for Count {
    ///     type Item = u32;
    ///     fn poll_next(mut self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<Option<u32>> {
    ///         self.0 += 1;
    ///         Poll::Ready((self.0 <= 3).then_some(self.0))
    ///     }
    /// }
    /// let got = nodestd_loop::block_on(async {
    ///     let r = Readable::from_stream(Count(0));
    ///     let mut out = Vec::new();
    ///     while let Some(x) = r.next().await {
    ///         out.push(x.unwrap());
    ///     }
    ///     out
    /// });
    /// assert_eq!(got.unwrap(), vec![1, 2, 3]);
    /// ```
    #[doc(alias = "from")]
    pub fn from_stream<S>(stream: S) -> Readable<T>
    where
        S: futures_core::Stream<Item = T> + 'static,
    {
        let stream = Rc::new(RefCell::new(Box::pin(stream)));
        Stream::from_async(move || {
            let stream = Rc::clone(&stream);
            async move {
                std::future::poll_fn(|cx| stream.borrow_mut().as_mut().poll_next(cx))
                    .await
                    .map(Ok)
            }
        })
    }
}

struct IterState<R> {
    items: VecDeque<Result<R, Error>>,
    done: bool,
    waker: Option<Waker>,
    attached: bool,
}

/// A future of the next chunk of a readable (see [`Stream::next`]).
pub struct Next<R: 'static, W: 'static> {
    stream: Stream<R, W>,
}

impl<R: 'static, W: 'static> Future for Next<R, W> {
    type Output = Option<Result<R, Error>>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        self.stream.poll_next_chunk(cx)
    }
}

/// A readable as a [`futures_core::Stream`] of `Result<chunk, Error>` (see
/// [`Stream::chunks`]). Ends after the stream's `end`, or after yielding its error.
pub struct Chunks<R: 'static, W: 'static> {
    stream: Stream<R, W>,
}

impl<R: 'static, W: 'static> futures_core::Stream for Chunks<R, W> {
    type Item = Result<R, Error>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.stream.poll_next_chunk(cx)
    }
}

/// A writable as a [`futures_sink::Sink`] (see [`Stream::sink`]): `poll_ready` waits for
/// `drain` while the buffer is over the high-water mark, `poll_flush` until every write
/// completed, `poll_close` ends the stream and waits for `finish`.
pub struct WriteSink<R: 'static, W: 'static> {
    stream: Stream<R, W>,
    shared: Rc<RefCell<SinkState>>,
}

#[derive(Default)]
struct SinkState {
    in_flight: usize,
    error: Option<Error>,
    waker: Option<Waker>,
    drain_listening: bool,
    ended: bool,
    finished: Option<Option<Error>>,
}

impl SinkState {
    fn wake(&mut self) {
        if let Some(w) = self.waker.take() {
            w.wake();
        }
    }
}

impl<R: 'static, W: 'static> WriteSink<R, W> {
    fn check(&self) -> Result<(), Error> {
        if let Some(e) = self.shared.borrow().error.clone() {
            return Err(e);
        }
        if let Some(e) = self.stream.errored() {
            return Err(e);
        }
        Ok(())
    }
}

impl<R: 'static, W: 'static> futures_sink::Sink<W> for WriteSink<R, W> {
    type Error = Error;

    fn poll_ready(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Result<(), Error>> {
        self.check()?;
        if self.stream.destroyed() {
            return Poll::Ready(Err(Error::destroyed("write")));
        }
        if !self.stream.writable_need_drain() {
            return Poll::Ready(Ok(()));
        }
        let mut st = self.shared.borrow_mut();
        st.waker = Some(cx.waker().clone());
        if !st.drain_listening {
            st.drain_listening = true;
            let shared = Rc::clone(&self.shared);
            self.stream.once_drain(move || {
                let mut st = shared.borrow_mut();
                st.drain_listening = false;
                st.wake();
            });
            let shared = Rc::clone(&self.shared);
            self.stream.once_close(move || shared.borrow_mut().wake());
        }
        Poll::Pending
    }

    fn start_send(self: Pin<&mut Self>, item: W) -> Result<(), Error> {
        self.check()?;
        self.shared.borrow_mut().in_flight += 1;
        let shared = Rc::clone(&self.shared);
        self.stream.write_with(item, move |err| {
            let mut st = shared.borrow_mut();
            st.in_flight -= 1;
            if let Some(e) = err {
                st.error.get_or_insert(e);
            }
            st.wake();
        });
        self.check()
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Result<(), Error>> {
        self.check()?;
        let mut st = self.shared.borrow_mut();
        if st.in_flight == 0 {
            return Poll::Ready(Ok(()));
        }
        st.waker = Some(cx.waker().clone());
        Poll::Pending
    }

    fn poll_close(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Result<(), Error>> {
        let mut st = self.shared.borrow_mut();
        if let Some(done) = st.finished.clone() {
            return Poll::Ready(done.map_or(Ok(()), Err));
        }
        st.waker = Some(cx.waker().clone());
        if !st.ended {
            st.ended = true;
            drop(st);
            let shared = Rc::clone(&self.shared);
            self.stream.end_cb(None, move |err| {
                let mut st = shared.borrow_mut();
                st.finished = Some(err);
                st.wake();
            });
        }
        Poll::Pending
    }
}

impl<R: 'static, W: 'static> Stream<R, W> {
    /// The readable side as a [`futures_core::Stream`] (Node's async iterator).
    ///
    /// ```
    /// use futures_core::Stream as _;
    /// use nodestd_stream::Readable;
    /// use std::pin::Pin;
    /// let n = nodestd_loop::block_on(async {
    ///     let mut chunks = Readable::from_iter(vec!["a", "b"]).chunks();
    ///     let mut n = 0;
    ///     while let Some(x) = std::future::poll_fn(|cx| Pin::new(&mut chunks).poll_next(cx)).await {
    ///         x.unwrap();
    ///         n += 1;
    ///     }
    ///     n
    /// });
    /// assert_eq!(n.unwrap(), 2);
    /// ```
    pub fn chunks(&self) -> Chunks<R, W> {
        let _ = self.iter_state();
        Chunks {
            stream: self.clone(),
        }
    }

    /// The writable side as a [`futures_sink::Sink`].
    pub fn sink(&self) -> WriteSink<R, W> {
        WriteSink {
            stream: self.clone(),
            shared: Rc::new(RefCell::new(SinkState::default())),
        }
    }

    fn poll_next_chunk(&self, cx: &mut Context<'_>) -> Poll<Option<Result<R, Error>>> {
        let s = self;
        let st = s.iter_state();
        let mut b = st.borrow_mut();
        if let Some(item) = b.items.pop_front() {
            return Poll::Ready(Some(item));
        }
        if b.done {
            return Poll::Ready(None);
        }
        b.waker = Some(cx.waker().clone());
        drop(b);
        s.resume();
        Poll::Pending
    }
}

impl<R: 'static, W: 'static> Stream<R, W> {
    fn iter_state(&self) -> Rc<RefCell<IterState<R>>> {
        let found = self.inner.iter.borrow().clone();
        if let Some(v) = found {
            if let Ok(st) = v.downcast::<RefCell<IterState<R>>>() {
                return st;
            }
        }
        let st = Rc::new(RefCell::new(IterState {
            items: VecDeque::new(),
            done: false,
            waker: None,
            attached: false,
        }));
        *self.inner.iter.borrow_mut() = Some(st.clone() as Rc<dyn std::any::Any>);
        self.attach_iter(&st);
        st
    }

    fn attach_iter(&self, st: &Rc<RefCell<IterState<R>>>) {
        if st.borrow().attached {
            return;
        }
        st.borrow_mut().attached = true;
        let wake = |st: &Rc<RefCell<IterState<R>>>| {
            let w = st.borrow_mut().waker.take();
            if let Some(w) = w {
                w.wake();
            }
        };
        // Driven by `readable` + `read()`, as Node's async iterator is.
        let st2 = Rc::clone(st);
        let ws = self.downgrade();
        self.on_readable(move || {
            let Some(s) = ws.upgrade() else { return };
            while let Some(c) = s.read(None) {
                st2.borrow_mut().items.push_back(Ok(c));
            }
            wake(&st2);
        });
        let st3 = Rc::clone(st);
        let done = move |err: Option<Error>| {
            {
                let mut b = st3.borrow_mut();
                if let Some(e) = err {
                    b.items.push_back(Err(e));
                }
                b.done = true;
            }
            wake(&st3);
        };
        let _ = self.eos(self.inner.has_r, false, done);
    }

    /// The next chunk, as `for await (const chunk of readable)` reads it: `Some(Ok(chunk))`,
    /// `Some(Err(e))` when the stream failed (or closed early: `ERR_STREAM_PREMATURE_CLOSE`),
    /// `None` at the end.
    pub fn next(&self) -> Next<R, W> {
        let _ = self.iter_state();
        Next {
            stream: self.clone(),
        }
    }

    /// Writes `chunk` and, when `write` returned false, waits for `drain` (or the error).
    ///
    /// ```
    /// use nodestd_stream::{Chunk, Options, Writable};
    /// nodestd_loop::block_on(async {
    ///     let w = Writable::new_writable(
    ///         Options::new().high_water_mark(2).write(|_, _c: Chunk, cb| {
    ///             nodestd_loop::set_immediate(move || cb.ok());
    ///         }),
    ///     );
    ///     for _ in 0..10 {
    ///         w.write_async(Chunk::from("abc")).await.unwrap();
    ///     }
    /// })
    /// .unwrap();
    /// ```
    ///
    /// # Errors
    /// The stream's error, or `ERR_STREAM_DESTROYED` when it was destroyed while waiting.
    pub async fn write_async(&self, chunk: W) -> Result<(), Error> {
        let (tx, rx) = nd::promise::<Option<Error>>();
        let tx = Rc::new(RefCell::new(Some(tx)));
        let ok = self.write(chunk);
        if let Some(e) = self.errored() {
            return Err(e);
        }
        if ok {
            return Ok(());
        }
        let (t1, t2) = (Rc::clone(&tx), Rc::clone(&tx));
        let a = self.once_drain(move || {
            if let Some(t) = t1.borrow_mut().take() {
                t.resolve(None);
            }
        });
        let b = self.once_close(move || {
            if let Some(t) = t2.borrow_mut().take() {
                t.resolve(Some(Error::destroyed("write")));
            }
        });
        let r = rx.await;
        self.off("drain", a);
        self.off("close", b);
        match r {
            Ok(None) => Ok(()),
            Ok(Some(e)) => Err(self.errored().unwrap_or(e)),
            Err(_) => Err(Error::destroyed("write")),
        }
    }

    /// Ends the stream and waits for `finish` (Node's `await finished(w)` after `end()`).
    ///
    /// # Errors
    /// The stream's error.
    pub async fn end_async(&self) -> Result<(), Error> {
        let (tx, rx) = nd::promise::<Option<Error>>();
        self.end_cb(None, move |e| tx.resolve(e));
        match rx.await {
            Ok(None) => Ok(()),
            Ok(Some(e)) => Err(e),
            Err(_) => Err(Error::destroyed("end")),
        }
    }
}
