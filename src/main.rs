//! The `soapbox` command line: a thin layer over the library.

use clap::{Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[command(name = "soapbox", version, about = "Builds static campaign microsites from Markdown and YAML figures")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build the site into a folder of plain files.
    ///
    /// Example: soapbox build --root my-campaign --out my-campaign/public
    Build {
        /// The site folder (the one holding content/).
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Where to write the site [default: public inside the root]
        #[arg(long)]
        out: Option<PathBuf>,
    },
}

fn main() -> ExitCode {
    // A bug in soapbox or a library must still read as a message, not a Rust dump.
    std::panic::set_hook(Box::new(|info| {
        let place = info.location().map(|l| format!(" ({}:{})", l.file(), l.line())).unwrap_or_default();
        eprintln!("error: soapbox hit an internal problem{place}; your output folder was not changed");
        eprintln!("  = help: this is a bug in soapbox; please report it with the files that caused it");
    }));
    let cli = Cli::parse();
    match cli.command {
        Command::Build { root, out } => {
            let out = out.unwrap_or_else(|| root.join("public"));
            match soapbox::build(&root, &out) {
                Ok(report) => {
                    eprintln!("{report}");
                    ExitCode::SUCCESS
                }
                Err(err) => {
                    eprint!("{err}");
                    let n = err.count();
                    eprintln!("\nbuild failed with {n} error{}; {} was left unchanged", if n == 1 { "" } else { "s" }, out.display());
                    ExitCode::FAILURE
                }
            }
        }
    }
}
