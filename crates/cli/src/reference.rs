//! The command reference (docs/cli.md), generated from the clap definitions like the man pages,
//! so it can't drift from the command: every command's `--help`, in order. A test fails when
//! the checked-in copy is stale (`make cli-docs` writes it).

use clap::Command;

/// The reference of `command` and all its subcommands, as Markdown.
pub fn markdown(command: &mut Command) -> String {
    command.build();
    let mut out = String::from(
        "# The `tessera` command: reference\n\n\
         Generated from the command's own definitions by `make cli-docs` (a test fails when this \
         file is stale). What the commands are for, with examples, the `--json` shapes and the \
         exit status, is in [guide.md](guide.md#the-tessera-command).\n",
    );
    section(&mut out, command, "");
    out
}

fn section(out: &mut String, command: &mut Command, parent: &str) {
    let name = if parent.is_empty() {
        command.get_name().to_owned()
    } else {
        format!("{parent} {}", command.get_name())
    };
    let help = command.render_long_help().to_string();
    let help: Vec<&str> = help.lines().map(str::trim_end).collect();
    out.push_str(&format!(
        "\n## `{name}`\n\n```text\n{}\n```\n",
        help.join("\n").trim_end()
    ));
    for sub in command.get_subcommands_mut() {
        if sub.get_name() != "help" {
            section(out, sub, &name);
        }
    }
}
