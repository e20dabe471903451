//! Gives the system back the memory the start freed. glibc's allocator keeps the pages of what
//! a thread freed for that thread's next allocations, and the start's bursts (the index read and
//! arranged, the window's first answers, the keys read in batches) are not repeated: without
//! this, the shell stays as large as its start made it, more so the more accounts there are
//! (docs/testing.md has the figures). And it sets the allocator so that the keys the warm-up
//! keeps are not scattered over pages the start's bursts left (`lean_allocator`); and it starts
//! the page's script engine without its optimising tiers (`lean_script_engine`).

/// Asks glibc to return the free pages of every arena (`malloc_trim(0)`). Elsewhere nothing:
/// the other platforms' allocators have no such call.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
#[allow(unsafe_code)]
pub fn give_back() {
    // SAFETY: malloc_trim takes no pointer and touches only free memory; glibc documents it as
    // MT-Safe, serialised with every other allocator call.
    unsafe {
        libc::malloc_trim(0);
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
pub fn give_back() {}

/// Sets glibc's allocator for a process that keeps little and frees much, before any thread
/// starts. One arena for every thread (`M_ARENA_MAX` 1): by default each thread that allocates
/// gets an arena of its own, and the warm-up's keys, a few bytes each, end up spread over pages
/// of several arenas among the batches' freed replies, pages that stay resident though nearly
/// empty (`give_back` returns only whole free pages). And a fixed threshold above which a
/// block has pages of its own (`M_MMAP_THRESHOLD`, 128 KiB, glibc's starting value): by
/// default glibc raises it to the largest block freed, so that after the start's first
/// megabytes (the index read, the window's first answer) every later one is carved from the
/// heap among the small blocks kept, and its pages stay with them when it is freed. The shell
/// makes few allocations at once, and few that large, so neither costs it anything measurable.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
#[allow(unsafe_code)]
pub fn lean_allocator() {
    // SAFETY: mallopt takes two integers; glibc documents it as MT-Unsafe only alongside
    // other mallopt calls, and these run first in `run`, before any thread.
    unsafe {
        libc::mallopt(libc::M_ARENA_MAX, 1);
        libc::mallopt(libc::M_MMAP_THRESHOLD, MMAP_THRESHOLD);
    }
}

/// The size from which a block is mapped on its own (`lean_allocator`).
#[cfg(all(target_os = "linux", target_env = "gnu"))]
const MMAP_THRESHOLD: libc::c_int = 128 * 1024;

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
pub fn lean_allocator() {}

/// The option of WebKit's JavaScriptCore (read from the environment by the web process, which
/// inherits the shell's) that turns off its DFG tier, and with it the FTL above it.
pub const SCRIPT_ENGINE_OPTION: &str = "JSC_useDFGJIT";

/// Starts the page's script engine with its first two tiers alone, unless the environment
/// already says otherwise: the optimising tiers keep what they compile, several MB for a page
/// whose heaviest work, a search through 10,000 accounts, takes a millisecond or two without them
/// (docs/testing.md). Before any thread starts.
#[allow(unsafe_code)]
pub fn lean_script_engine() {
    if std::env::var_os(SCRIPT_ENGINE_OPTION).is_none() {
        // SAFETY: `run` calls this first, before any thread that could read the environment.
        unsafe {
            std::env::set_var(SCRIPT_ENGINE_OPTION, "false");
        }
    }
}

#[cfg(all(test, target_os = "linux", target_env = "gnu"))]
mod tests {
    /// The tests look at the whole process's allocator: one at a time.
    static ALLOCATOR: std::sync::Mutex<()> = std::sync::Mutex::new(());

    /// This process's resident memory, in kB.
    fn resident_kb() -> Option<u64> {
        let status = std::fs::read_to_string("/proc/self/status").ok()?;
        let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
        line.split_whitespace().nth(1)?.parse().ok()
    }

    /// How many arenas glibc's allocator has now (`malloc_info` writes one `<heap>` each).
    fn arenas() -> Option<usize> {
        let path = std::env::temp_dir().join(format!("tessera-arenas-{}", std::process::id()));
        let c_path = std::ffi::CString::new(path.to_str()?).ok()?;
        // SAFETY: a file opened here, written by malloc_info and closed before it is read.
        #[allow(unsafe_code)]
        unsafe {
            let file = libc::fopen(c_path.as_ptr(), c"w".as_ptr());
            if file.is_null() {
                return None;
            }
            libc::malloc_info(0, file);
            libc::fclose(file);
        }
        let info = std::fs::read_to_string(&path).ok();
        let _ = std::fs::remove_file(&path);
        Some(info?.matches("<heap nr=").count())
    }

    #[test]
    fn threads_started_after_lean_allocator_make_no_arena_of_their_own() {
        let _alone = ALLOCATOR.lock();
        super::lean_allocator();
        let before = arenas().unwrap();
        // Alive together and allocating: without the limit each would get an arena.
        let barrier = std::sync::Arc::new(std::sync::Barrier::new(8));
        let threads: Vec<_> = (0..8)
            .map(|_| {
                let barrier = barrier.clone();
                std::thread::spawn(move || {
                    let block = vec![1u8; 64 * 1024];
                    barrier.wait();
                    block.len()
                })
            })
            .collect();
        for thread in threads {
            thread.join().unwrap();
        }
        assert_eq!(
            arenas().unwrap(),
            before,
            "arenas before the threads: {before}"
        );
    }

    /// The bytes glibc has mapped for blocks of their own now.
    #[allow(unsafe_code)]
    fn mapped_block_bytes() -> usize {
        // SAFETY: mallinfo2 takes nothing and returns a plain struct.
        unsafe { libc::mallinfo2() }.hblkhd
    }

    #[test]
    fn a_large_block_has_pages_of_its_own_after_a_larger_one_was_freed() {
        let _alone = ALLOCATOR.lock();
        super::lean_allocator();
        // Freed, a mapped 8 MiB block would raise glibc's own threshold above the next one.
        drop(std::hint::black_box(vec![1u8; 8 << 20]));
        let before = mapped_block_bytes();
        let block = std::hint::black_box(vec![1u8; 1 << 20]);
        let mapped = mapped_block_bytes() - before;
        drop(block);
        assert!(mapped >= 1 << 20, "{mapped} bytes mapped for a 1 MiB block");
    }

    #[test]
    fn what_was_freed_goes_back_to_the_system() {
        let _alone = ALLOCATOR.lock();
        // 40 MB in small blocks, written to, every 64th kept: what is freed lies between
        // blocks in use, so it stays with the allocator (only memory at the top of a heap goes
        // back by itself), whichever arena this thread has.
        let blocks: Vec<Vec<u8>> = (0..40_000)
            .map(|i| vec![(i % 251) as u8 + 1; 1024])
            .collect();
        let kept: Vec<Vec<u8>> = blocks.into_iter().step_by(64).collect();
        let freed = resident_kb().unwrap();
        super::give_back();
        let after = resident_kb().unwrap();
        drop(kept);
        assert!(
            freed > after + 20_000,
            "resident {freed} kB with the blocks freed, {after} kB after give_back"
        );
    }
}
