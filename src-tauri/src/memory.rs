//! Gives the system back the memory the start freed. glibc's allocator keeps the pages of what
//! a thread freed for that thread's next allocations, and the start's bursts (the index read and
//! arranged, the window's first answers, the keys read in batches) are not repeated: without
//! this, the shell stays as large as its start made it, more so the more accounts there are
//! (docs/testing.md has the figures).

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

#[cfg(all(test, target_os = "linux", target_env = "gnu"))]
mod tests {
    /// This process's resident memory, in kB.
    fn resident_kb() -> Option<u64> {
        let status = std::fs::read_to_string("/proc/self/status").ok()?;
        let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
        line.split_whitespace().nth(1)?.parse().ok()
    }

    #[test]
    fn what_was_freed_goes_back_to_the_system() {
        // 40 MB in small blocks, written to, below a block still in use: freed, they stay with
        // the allocator (only memory at the top of a heap goes back by itself).
        let mut blocks: Vec<Vec<u8>> = (0..40_000)
            .map(|i| vec![(i % 251) as u8 + 1; 1024])
            .collect();
        let fence = vec![1u8; 1024];
        blocks.clear();
        blocks.shrink_to_fit();
        let freed = resident_kb().unwrap();
        super::give_back();
        let after = resident_kb().unwrap();
        drop(fence);
        assert!(
            freed > after + 20_000,
            "resident {freed} kB with the blocks freed, {after} kB after give_back"
        );
    }
}
