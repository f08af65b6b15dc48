//! Standard output for commands whose output may be piped into `head`, `grep -m1` or a
//! pager that quits early. Rust ignores SIGPIPE, so `println!` would panic on the closed
//! pipe; here a reader that went away ends the command quietly, as `cat` would, and any
//! other write failure is an error naming standard output.

use std::io::Write;

/// Writes `args` to standard output (see the module).
pub fn write(args: std::fmt::Arguments) {
    let mut out = std::io::stdout().lock();
    if let Err(e) = out.write_fmt(args).and_then(|()| out.flush()) {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            std::process::exit(0);
        }
        eprintln!("error: writing to standard output: {e}");
        std::process::exit(1);
    }
}

/// `println!` that survives a closed pipe (see [`write`]).
#[macro_export]
macro_rules! outln {
    () => { $crate::out::write(format_args!("\n")) };
    ($($t:tt)*) => { $crate::out::write(format_args!("{}\n", format_args!($($t)*))) };
}

/// `print!` that survives a closed pipe (see [`write`]).
#[macro_export]
macro_rules! out {
    ($($t:tt)*) => { $crate::out::write(format_args!($($t)*)) };
}
