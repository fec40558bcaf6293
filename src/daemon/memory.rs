//! Giving freed heap back to the system after a configuration is loaded.
//!
//! Reading feeds.yaml builds a parse tree, located raw values and the checked
//! configuration side by side — for 10,000 feeds some 40 MB, of which the checked
//! configuration keeps a fraction. glibc's malloc keeps freed memory mapped when live
//! allocations sit between the freed ones, so without help a daemon that loaded a large
//! file once holds its peak for months — and the refreshes, on other threads (other
//! malloc arenas), cannot reuse it, so a `run --once` over many feeds would peak at
//! the load's peak plus the pass. `malloc_trim` returns those free pages; it is called
//! where a process has just dropped such a peak (the daemon after a load or reload,
//! `run --once` after its load), never on the refresh path.

/// Returns the heap's free pages to the system (glibc only; elsewhere nothing to do).
pub fn release_freed_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim has no preconditions; it only releases free memory.
    unsafe {
        libc::malloc_trim(0);
    }
}
