//! The wasm build's global allocator: size classes for small blocks, a first-fit list of
//! spans for the rest.
//!
//! std's allocator on `wasm32-unknown-unknown` is dlmalloc, about 5 KB of code. The core
//! needs less: most of its allocations are small and short-lived, the same shapes recur
//! capture after capture, and the few large ones are input and output buffers.
//! - A small request (up to [`LARGE`] bytes, aligned to at most 16) is rounded up to a
//!   power of two, at least 16, and served from that class's free list. A freed block goes
//!   back on its list, so a workload that repeats reuses its blocks at once.
//! - Memory itself is kept as spans: a large request is rounded up to 16 bytes and served
//!   first-fit from the list of free spans, kept in address order (the span's end is taken,
//!   the rest stays free); a class whose list is empty takes its next block the same way.
//!   A freed span merges with the free spans it borders, and with the unused end of the
//!   heap, so buffers of varying sizes reuse the same memory, and small blocks fill the
//!   lowest free span rather than pinning the end of the heap. A span at the end of the
//!   heap grows in place.
//! - What the list lacks is cut from the unused end of the heap, which grows with
//!   `memory.grow`. A request aligned to more than 16 takes a span longer by its alignment
//!   and gives back what lies around the aligned part.
//!
//! The bookkeeping ([`Heap`]) works on addresses and takes the function that grows memory
//! as a parameter, so the native tests run it over an ordinary buffer.

/// The smallest class is 2^4 = 16 bytes: room for a free-list link. Every block and span
/// is aligned to 16 and a multiple of 16 long.
const MIN_CLASS: u32 = 4;
/// Requests above this size, or aligned to more than 16, are spans.
const LARGE: usize = 1024;
/// Classes 2^0 … 2^10 (= [`LARGE`]); the lists below [`MIN_CLASS`] stay empty.
const CLASSES: usize = 11;
/// The bytes of one address.
const WORD: usize = core::mem::size_of::<usize>();

/// The class (log2 of the block size) that serves a small request of `size` bytes.
#[inline]
fn class_of(size: usize) -> usize {
    (usize::BITS - (size.max(1 << MIN_CLASS) - 1).leading_zeros()) as usize
}

/// The length of the span that serves `size` bytes aligned to `align`, or 0 when such a
/// request is a small block.
#[inline]
fn span_len(size: usize, align: usize) -> usize {
    if size > LARGE || align > 16 {
        (size + 15) & !15
    } else {
        0
    }
}

/// Reads the address or length stored at `at`.
unsafe fn get(at: usize) -> usize {
    *(at as *const usize)
}

/// Stores an address or length at `at`.
unsafe fn set(at: usize, value: usize) {
    *(at as *mut usize) = value;
}

/// Free lists and the unused end of the heap, as addresses.
pub(crate) struct Heap {
    /// The first free block of each class; a free block holds the address of the next.
    free: [usize; CLASSES],
    /// The free span with the lowest address; a free span holds the address of the next
    /// and, one word further, its length.
    spans: usize,
    /// The start of the unused end of the heap.
    top: usize,
    /// The end of the memory the heap has.
    end: usize,
}

impl Heap {
    /// An empty heap: the first allocation asks for memory.
    pub(crate) const fn new() -> Heap {
        Heap { free: [0; CLASSES], spans: 0, top: 0, end: 0 }
    }

    /// A block for `size` bytes aligned to `align`, or 0 when memory cannot grow.
    /// `grow(bytes)` adds at least `bytes` bytes of memory and returns where they start
    /// and how many it added (`None` when it cannot).
    ///
    /// # Safety
    /// `grow` returns memory that only this heap uses; `align` is a power of two.
    pub(crate) unsafe fn alloc(&mut self, size: usize, align: usize, grow: impl Fn(usize) -> Option<(usize, usize)>) -> usize {
        let len = span_len(size, align);
        if len == 0 {
            let class = class_of(size);
            let head = self.free[class];
            if head != 0 {
                self.free[class] = get(head);
                return head;
            }
            return self.span(1 << class, grow);
        }
        if align <= 16 {
            return self.span(len, grow);
        }
        let Some(wide) = len.checked_add(align) else { return 0 };
        let at = self.span(wide, grow);
        if at == 0 {
            return 0;
        }
        let aligned = (at + align - 1) & !(align - 1);
        if aligned > at {
            self.free_span(at, aligned - at);
        }
        self.free_span(aligned + len, at + wide - aligned - len);
        aligned
    }

    /// A span of `len` bytes (a multiple of 16): the end of the first free span long
    /// enough, else cut from the unused end of the heap. 0 when memory cannot grow.
    unsafe fn span(&mut self, len: usize, grow: impl Fn(usize) -> Option<(usize, usize)>) -> usize {
        let mut link = &mut self.spans as *mut usize as usize;
        loop {
            let at = get(link);
            if at == 0 {
                break;
            }
            let have = get(at + WORD);
            if have > len {
                set(at + WORD, have - len);
                return at + have - len;
            }
            if have == len {
                set(link, get(at));
                return at;
            }
            link = at;
        }
        while self.end - self.top < len {
            let Some((start, added)) = grow(len - (self.end - self.top)) else { return 0 };
            if start != self.end {
                // Not contiguous (the first growth): what was left is not used.
                self.top = start;
            }
            self.end = start + added;
        }
        self.top += len;
        self.top - len
    }

    /// Returns the block at `ptr`, allocated for `size` bytes aligned to `align`.
    ///
    /// # Safety
    /// `ptr` came from this heap for the same size and alignment.
    pub(crate) unsafe fn free(&mut self, ptr: usize, size: usize, align: usize) {
        match span_len(size, align) {
            0 => {
                let class = class_of(size);
                set(ptr, self.free[class]);
                self.free[class] = ptr;
            }
            len => self.free_span(ptr, len),
        }
    }

    /// The block at `ptr`, allocated for `size` bytes aligned to `align`, resized to
    /// `new_size` bytes: in place when its class or its span allows, else moved.
    /// 0 when memory cannot grow (the block is then left as it was).
    ///
    /// # Safety
    /// As for [`Heap::alloc`] and [`Heap::free`].
    pub(crate) unsafe fn realloc(&mut self, ptr: usize, size: usize, align: usize, new_size: usize, grow: impl Fn(usize) -> Option<(usize, usize)>) -> usize {
        let (old, new) = (span_len(size, align), span_len(new_size, align));
        if old == 0 && new == 0 && class_of(size) == class_of(new_size) {
            return ptr;
        }
        if old != 0 && new != 0 {
            if new < old {
                self.free_span(ptr + new, old - new);
            }
            if new <= old {
                return ptr;
            }
            if ptr + old == self.top && self.end - ptr >= new {
                self.top = ptr + new;
                return ptr;
            }
        }
        let moved = self.alloc(new_size, align, grow);
        if moved != 0 {
            core::ptr::copy_nonoverlapping(ptr as *const u8, moved as *mut u8, size.min(new_size));
            self.free(ptr, size, align);
        }
        moved
    }

    /// Puts the span `at..at + len` back: merged with the free spans it borders, or with
    /// the unused end of the heap.
    unsafe fn free_span(&mut self, mut at: usize, mut len: usize) {
        // `link` is where the address of the first free span after `at` is stored: the
        // list's head or the free span before `at`; `before` is where that span's own
        // address is stored.
        let mut before = 0;
        let mut link = &mut self.spans as *mut usize as usize;
        while get(link) != 0 && get(link) < at {
            before = link;
            link = get(link);
        }
        let mut next = get(link);
        if next != 0 && at + len == next {
            len += get(next + WORD);
            next = get(next);
        }
        if before != 0 && link + get(link + WORD) == at {
            len += get(link + WORD);
            at = link;
            link = before;
        }
        if at + len == self.top {
            self.top = at;
        } else {
            set(at, next);
            set(at + WORD, len);
            next = at;
        }
        set(link, next);
    }
}

#[cfg(all(target_arch = "wasm32", not(target_feature = "atomics")))]
mod global {
    use super::Heap;
    use core::alloc::{GlobalAlloc, Layout};
    use core::cell::UnsafeCell;

    /// wasm memory pages are 64 KiB.
    const PAGE: usize = 1 << 16;

    /// The heap behind `#[global_allocator]`.
    struct Allocator(UnsafeCell<Heap>);

    // Without the `atomics` target feature the wasm module is single-threaded.
    unsafe impl Sync for Allocator {}

    #[global_allocator]
    static ALLOCATOR: Allocator = Allocator(UnsafeCell::new(Heap::new()));

    fn grow(bytes: usize) -> Option<(usize, usize)> {
        let pages = bytes.div_ceil(PAGE);
        let start = core::arch::wasm32::memory_grow(0, pages);
        (start != usize::MAX).then(|| (start * PAGE, pages * PAGE))
    }

    unsafe impl GlobalAlloc for Allocator {
        unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
            (*self.0.get()).alloc(layout.size(), layout.align(), grow) as *mut u8
        }

        unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
            (*self.0.get()).free(ptr as usize, layout.size(), layout.align())
        }

        unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
            (*self.0.get()).realloc(ptr as usize, layout.size(), layout.align(), new_size, grow) as *mut u8
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{class_of, span_len, Heap, CLASSES, LARGE};
    use std::cell::RefCell;

    /// Memory for a heap: a 64 KiB-aligned buffer handed out in 64 KiB steps, like wasm
    /// memory.
    struct Arena {
        base: usize,
        used: RefCell<usize>,
        cap: usize,
        _buf: Vec<u8>,
    }

    impl Arena {
        fn new(cap: usize) -> Arena {
            let buf = vec![0u8; cap + (1 << 16)];
            let base = (buf.as_ptr() as usize + 0xffff) & !0xffff;
            Arena { base, used: RefCell::new(0), cap, _buf: buf }
        }

        fn used(&self) -> usize {
            *self.used.borrow()
        }

        fn grow(&self) -> impl Fn(usize) -> Option<(usize, usize)> + '_ {
            move |bytes| {
                let len = bytes.div_ceil(1 << 16) << 16;
                let mut used = self.used.borrow_mut();
                if *used + len > self.cap {
                    return None;
                }
                let start = self.base + *used;
                *used += len;
                Some((start, len))
            }
        }
    }

    /// The bytes a request occupies.
    fn footprint(size: usize, align: usize) -> usize {
        match span_len(size, align) {
            0 => 1 << class_of(size),
            len => len,
        }
    }

    /// Live blocks, each filled with its own byte, checked for overlap and for their
    /// contents when freed.
    struct Live(Vec<(usize, usize, usize, u8)>);

    impl Live {
        fn add(&mut self, heap: &mut Heap, arena: &Arena, size: usize, align: usize) {
            let p = unsafe { heap.alloc(size, align, arena.grow()) };
            assert_ne!(p, 0, "no memory for {size} B");
            self.place(arena, p, size, align);
        }

        fn place(&mut self, arena: &Arena, p: usize, size: usize, align: usize) {
            assert_eq!(p % align.max(16), 0, "{size} B at {p:#x} is not aligned to {align}");
            let len = footprint(size, align);
            assert!(p >= arena.base && p + len <= arena.base + arena.used(), "{size} B outside the heap");
            for &(q, other, a, _) in &self.0 {
                let other = footprint(other, a);
                assert!(p + len <= q || q + other <= p, "{size} B at {p:#x} overlaps a live block");
            }
            let fill = self.0.len() as u8 ^ 0x5a;
            unsafe { core::ptr::write_bytes(p as *mut u8, fill, size) };
            self.0.push((p, size, align, fill));
        }

        fn check(&self, i: usize) {
            let (p, size, _, fill) = self.0[i];
            let bytes = unsafe { core::slice::from_raw_parts(p as *const u8, size) };
            assert!(bytes.iter().all(|&b| b == fill), "the block of {size} B at {p:#x} was overwritten");
        }

        fn remove(&mut self, heap: &mut Heap, i: usize) {
            self.check(i);
            let (p, size, align, _) = self.0.swap_remove(i);
            unsafe { heap.free(p, size, align) };
        }
    }

    #[test]
    fn small_requests_are_powers_of_two_of_at_least_sixteen_bytes() {
        assert_eq!(class_of(1), 4);
        assert_eq!(class_of(16), 4);
        assert_eq!(class_of(17), 5);
        assert_eq!(class_of(LARGE), CLASSES - 1);
        assert_eq!(span_len(LARGE, 8), 0);
        assert_eq!(span_len(LARGE + 1, 8), LARGE + 16);
        assert_eq!(span_len(5000, 16), 5008);
        assert_eq!(span_len(24, 64), 32, "a request aligned to more than 16 is a span");
    }

    #[test]
    fn blocks_and_spans_are_aligned_disjoint_and_keep_their_contents() {
        let arena = Arena::new(16 << 20);
        let mut heap = Heap::new();
        let mut live = Live(Vec::new());
        let sizes = [1usize, 24, 100, 5000, 16, 70_000, 33, 300_000, 8, 1 << 20, 17, 1025, 2048, 4096];
        for (i, &size) in sizes.iter().enumerate() {
            live.add(&mut heap, &arena, size, [1, 4, 8, 16, 64][i % 5]);
        }
        for i in (0..live.0.len()).rev().step_by(2) {
            live.remove(&mut heap, i);
        }
        for &size in &sizes {
            live.add(&mut heap, &arena, size, 8);
        }
        for i in 0..live.0.len() {
            live.check(i);
        }
    }

    #[test]
    fn over_aligned_requests_give_back_the_memory_around_them() {
        let arena = Arena::new(4 << 20);
        let mut heap = Heap::new();
        let mut live = Live(Vec::new());
        live.add(&mut heap, &arena, 48, 8);
        live.add(&mut heap, &arena, 100, 4096);
        live.add(&mut heap, &arena, 5000, 64);
        let grown = arena.used();
        // What the aligned spans did not use is free: small blocks fit there.
        for _ in 0..100 {
            live.add(&mut heap, &arena, 32, 8);
        }
        assert_eq!(arena.used(), grown);
        while !live.0.is_empty() {
            live.remove(&mut heap, 0);
        }
        live.add(&mut heap, &arena, 100, 4096);
        assert_eq!(arena.used(), grown);
    }

    #[test]
    fn freed_spans_merge_with_their_neighbours_and_the_end_of_the_heap() {
        let arena = Arena::new(4 << 20);
        let mut heap = Heap::new();
        let spans: Vec<usize> = (0..4).map(|_| unsafe { heap.alloc(100_000, 8, arena.grow()) }).collect();
        let len = span_len(100_000, 8);
        for w in spans.windows(2) {
            assert_eq!(w[1], w[0] + len, "spans are cut one after the other");
        }
        let grown = arena.used();
        unsafe {
            heap.free(spans[0], 100_000, 8);
            heap.free(spans[2], 100_000, 8);
            heap.free(spans[1], 100_000, 8);
        }
        // The three freed spans are one now: a request for all of them fits there.
        assert_eq!(unsafe { heap.alloc(3 * len, 8, arena.grow()) }, spans[0]);
        unsafe { heap.free(spans[0], 3 * len, 8) };
        // Freeing the last one gives everything back to the end of the heap.
        unsafe { heap.free(spans[3], 100_000, 8) };
        assert_eq!(unsafe { heap.alloc(4 * len, 8, arena.grow()) }, spans[0]);
        assert_eq!(arena.used(), grown);
    }

    #[test]
    fn resizing_keeps_the_contents_and_stays_in_place_when_it_can() {
        let arena = Arena::new(8 << 20);
        let mut heap = Heap::new();
        let mut p = unsafe { heap.alloc(1, 1, arena.grow()) };
        let mut size = 1;
        unsafe { *(p as *mut u8) = 7 };
        let mut moves = 0;
        // A buffer doubled from 1 B to 1 MiB, as a growing Vec is.
        while size < 1 << 20 {
            let q = unsafe { heap.realloc(p, size, 1, size * 2, arena.grow()) };
            assert_ne!(q, 0);
            let old = unsafe { core::slice::from_raw_parts(q as *const u8, size) };
            assert!(old.iter().all(|&b| b == 7), "resizing to {} B lost the contents", size * 2);
            unsafe { core::ptr::write_bytes((q + size) as *mut u8, 7, size) };
            moves += usize::from(q != p);
            p = q;
            size *= 2;
        }
        assert!(moves <= 12, "{moves} moves: a span at the end of the heap grows in place");
        // Within its class a block stays; a much smaller size moves to a smaller block.
        let small = unsafe { heap.alloc(20, 8, arena.grow()) };
        assert_eq!(unsafe { heap.realloc(small, 20, 8, 32, arena.grow()) }, small);
        assert_ne!(unsafe { heap.realloc(small, 32, 8, 33, arena.grow()) }, small);
        // A shrunk span stays where it is and frees its tail.
        assert_eq!(unsafe { heap.realloc(p, size, 1, 5000, arena.grow()) }, p);
        let tail = unsafe { heap.alloc(size - 5008 - 16, 8, arena.grow()) };
        assert!(tail > p && tail < p + size, "the freed tail is reused");
    }

    #[test]
    fn a_repeated_workload_reuses_its_memory_and_stops_growing() {
        let arena = Arena::new(64 << 20);
        let mut heap = Heap::new();
        let round = |heap: &mut Heap, seed: usize| {
            let mut live = Live(Vec::new());
            for i in 0..1500usize {
                let size = match i % 7 {
                    0 => (i * 7919 + seed) % 300_000 + 1,
                    1 | 2 => (i * 104_729 + seed) % 8000 + 1,
                    _ => (i * 31 + seed) % 200 + 1,
                };
                live.add(heap, &arena, size, [1, 8][i % 2]);
                if i % 3 == 0 {
                    live.remove(heap, (i * 13) % live.0.len());
                }
                if live.0.len() > 200 {
                    live.remove(heap, 0);
                }
            }
            while !live.0.is_empty() {
                live.remove(heap, live.0.len() - 1);
            }
        };
        // The first rounds find the heap in a different state each (empty, then holding
        // what the one before freed); from then on the rounds are served from free memory.
        round(&mut heap, 0);
        round(&mut heap, 0);
        let grown = arena.used();
        for _ in 0..4 {
            round(&mut heap, 0);
        }
        assert_eq!(arena.used(), grown);
    }

    #[test]
    fn an_exhausted_memory_gives_null() {
        let arena = Arena::new(1 << 16);
        let mut heap = Heap::new();
        assert_ne!(unsafe { heap.alloc(1000, 8, arena.grow()) }, 0);
        assert_eq!(unsafe { heap.alloc(1 << 17, 8, arena.grow()) }, 0);
        assert_eq!(unsafe { heap.alloc(1 << 16, 64, arena.grow()) }, 0);
    }
}
