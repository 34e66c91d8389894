//! Command-line arguments: the one place raw arguments are defined and validated.

use clap::{Args, Parser, Subcommand, ValueEnum};
use jiff::civil::Date;
use std::path::PathBuf;

/// Blameless postmortems: write, format and measure them.
#[derive(Debug, Parser)]
#[command(name = "debrief", version, about, propagate_version = true)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Write a new postmortem from the template.
    #[command(
        after_help = "Example:\n  debrief new --title \"Checkout 500 errors\" --severity SEV2\n  \
                            writes ./2026-06-14-checkout-500-errors.md (today's date unless --date)"
    )]
    New(NewArgs),
    /// Rewrite postmortems in canonical form.
    #[command(
        after_help = "Examples:\n  debrief fmt postmortems/\n  debrief fmt --check postmortems/   \
                            # lists files that would change, exits 1 if any\n  \
                            debrief fmt --diff 2026-06-14-checkout.md   # shows the change, writes nothing"
    )]
    Fmt(FmtArgs),
    /// Print a postmortem as read, with its metrics and diagnostics.
    #[command(after_help = "Examples:\n  debrief show 2026-06-14-checkout.md\n  \
                            debrief show --format json 2026-06-14-checkout.md | jq .metrics")]
    Show(ShowArgs),
    /// Print time to detect, acknowledge, mitigate and resolve for each postmortem.
    #[command(after_help = "Examples:\n  debrief metrics postmortems/\n  \
                            debrief metrics --format csv postmortems/ > metrics.csv")]
    Metrics(MetricsArgs),
    /// The quarterly review: recurring causes, detection and response, action items, process.
    #[command(after_help = "Examples:\n  debrief review postmortems/\n  \
                            debrief review --from 2026-04-01 --to 2026-06-30 --out q2/ postmortems/   # q2/review.md and charts\n  \
                            debrief review --format html postmortems/ > review.html\n  \
                            debrief review --format json postmortems/")]
    Review(ReviewArgs),
    /// Publish postmortems as a static site for the whole organisation.
    #[command(
        after_help = "Examples:\n  debrief publish postmortems/ --out site/\n  \
                            debrief publish postmortems/ --out site/ --base-url https://postmortems.example.com\n  \
                            debrief publish postmortems/ --out preview/ --include-drafts   # drafts too, marked as drafts\n\n\
                            Only postmortems whose front matter says `status: published` (or `closed`) are published; \
                            drafts are left out unless --include-drafts, and restricted postmortems unless \
                            --include-restricted."
    )]
    Publish(PublishArgs),
    /// Check postmortems for blame, vague action items and missing structure.
    #[command(after_help = "Examples:\n  debrief lint postmortems/\n  \
                            debrief lint --format github postmortems/   # annotations in a GitHub workflow\n  \
                            debrief lint --fix 2026-06-14-checkout.md   # names on the roster become roles\n  \
                            cat draft.md | debrief lint -\n  \
                            debrief lint --write-baseline lint-baseline.json postmortems/   # accept today's findings\n  \
                            debrief lint --baseline lint-baseline.json postmortems/         # in CI: fail on new findings only\n\n\
                            Configuration: debrief.toml, found by walking up from each file (see `debrief explain`).\n\n\
                            A baseline knows a finding by its file, its rule, its words and the sentence around them, \
                            not by its line: moving a paragraph keeps its findings known, editing the sentence may \
                            make them new. Entries that no longer match anything are listed; write the baseline \
                            again to drop them.")]
    Lint(LintArgs),
    /// List the lint rules, or explain one.
    #[command(after_help = "Examples:\n  debrief explain\n  debrief explain named-individual")]
    Explain(ExplainArgs),
    /// Run the server: the JSON API under /api/v1, /healthz and /metrics.
    #[command(after_help = "Examples:\n  \
                            debrief serve                               # SQLite in ./debrief-data\n  \
                            debrief serve --listen 0.0.0.0:8080 --database-url postgres://debrief@db/debrief\n\n\
                            Create the first admin with `debrief user add`. Settings: flags, then DEBRIEF_* \
                            variables, then [server] in ./debrief.toml (or --config).")]
    Serve(ServeArgs),
    /// Send Markdown postmortems to a server.
    #[command(
        after_help = "Example:\n  debrief import postmortems/ --server http://debrief.internal:8080 --token $DEBRIEF_TOKEN\n\n\
                            An admin's import keeps the status written in each file; others start drafts."
    )]
    Import(ImportArgs),
    /// Write every postmortem a server lets you see as Markdown files.
    #[command(
        after_help = "Example:\n  debrief export --server http://debrief.internal:8080 --token $DEBRIEF_TOKEN backup/"
    )]
    Export(ExportArgs),
    /// Manage the server's users.
    #[command(subcommand)]
    User(UserCommand),
    /// Take action items into GitHub, Jira or GitLab, and bring their states back.
    #[command(subcommand)]
    Actions(ActionsCommand),
    /// Timeline entries from where the incident happened: chat and alerting.
    #[command(subcommand)]
    Timeline(TimelineCommand),
    /// The linter in your editor: a language server on standard input and output.
    #[command(
        after_help = "Editors start it themselves; see the README's \"Editors\" section for \
                            Neovim, Helix and VS Code. Exits 0 after the editor's shutdown and exit, \
                            1 when the editor goes away without them."
    )]
    Lsp,
    /// Print the shell's completion script for debrief.
    #[command(after_help = "Examples:\n  \
                            debrief completions bash > ~/.local/share/bash-completion/completions/debrief\n  \
                            debrief completions zsh > \"${fpath[1]}/_debrief\"\n  \
                            debrief completions fish > ~/.config/fish/completions/debrief.fish")]
    Completions(CompletionsArgs),
    /// Print the manual page (roff), or write one page per command into a folder.
    #[command(after_help = "Examples:\n  debrief man | man -l -\n  \
                            debrief man --out /usr/local/share/man/man1   # debrief.1, debrief-lint.1, ...")]
    Man(ManArgs),
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell.
    pub shell: clap_complete::Shell,
}

#[derive(Debug, Args)]
pub struct ManArgs {
    /// A folder to write debrief.1 and a page per command into, instead of printing
    /// debrief.1.
    #[arg(long)]
    pub out: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum TimelineCommand {
    /// Propose timeline entries from a Slack export, Alertmanager or PagerDuty payloads,
    /// printed, or merged into a postmortem with --into.
    #[command(subcommand)]
    Import(TimelineSource),
}

#[derive(Debug, Subcommand)]
pub enum TimelineSource {
    /// A Slack workspace export (the ZIP, or the folder it unpacks to).
    #[command(after_help = "Examples:\n  \
                            debrief timeline import slack export.zip --channel inc-2041 --into 2026-06-14-checkout.md\n  \
                            debrief timeline import slack export/ --channel inc-2041 --from 2026-06-14T09:00:00Z --reaction white_check_mark\n\n\
                            Each message becomes an entry at its own instant; people are written as their roles (the \
                            [roster] of debrief.toml, else their Slack title, else \"responder 1\", \"responder 2\"), never \
                            their names. Joins, topic changes and bots are left out; edits replace what they edit. With \
                            --into, the channel's messages are also kept in the postmortem as a quoted chat log, and the \
                            file is written once, whole, or not at all.")]
    Slack(SlackImportArgs),
    /// Alertmanager webhook payloads (version 4), one JSON file each.
    #[command(
        after_help = "Example:\n  debrief timeline import alertmanager firing.json resolved.json --into 2026-06-14-checkout.md\n\n\
                            An alert's startsAt is marked started, its resolution resolved, where the timeline has no \
                            such milestone yet."
    )]
    Alertmanager(PayloadImportArgs),
    /// PagerDuty webhook payloads (v3), one JSON file each.
    #[command(
        after_help = "Example:\n  debrief timeline import pagerduty triggered.json acknowledged.json resolved.json --into 2026-06-14-checkout.md\n\n\
                            incident.triggered is marked detected, incident.acknowledged acknowledged and \
                            incident.resolved resolved, where the timeline has no such milestone yet."
    )]
    Pagerduty(PayloadImportArgs),
}

#[derive(Debug, Args)]
pub struct SlackImportArgs {
    /// The export: Slack's ZIP, or the folder it unpacks to.
    pub export: PathBuf,
    /// The channel, by name or id.
    #[arg(long)]
    pub channel: String,
    /// Messages from this instant (2026-06-14T09:00:00Z) or day (2026-06-14, in --zone).
    #[arg(long)]
    pub from: Option<String>,
    /// Messages up to this instant or day (the whole day).
    #[arg(long)]
    pub to: Option<String>,
    /// Only pinned messages become entries.
    #[arg(long, conflicts_with = "reaction")]
    pub pinned: bool,
    /// Only messages with this reaction become entries (white_check_mark).
    #[arg(long)]
    pub reaction: Option<String>,
    /// The workspace's address, for links to the messages [default: https://slack.com]
    #[arg(long, default_value = "https://slack.com")]
    pub workspace: String,
    /// The most an archive may expand to, in bytes.
    #[arg(long, default_value_t = debrief_import::archive::DEFAULT_MAX_BYTES)]
    pub max_bytes: u64,
    #[command(flatten)]
    pub target: ImportTarget,
}

#[derive(Debug, Args)]
pub struct PayloadImportArgs {
    /// Payload files, one JSON delivery each.
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
    #[command(flatten)]
    pub target: ImportTarget,
}

#[derive(Debug, Args)]
pub struct ImportTarget {
    /// Merge the entries into this postmortem (without duplicates) instead of printing them.
    #[arg(long)]
    pub into: Option<PathBuf>,
    /// The zone printed times are in, and --from/--to days [default: the postmortem's, else UTC]
    #[arg(long)]
    pub zone: Option<String>,
    /// Use this configuration instead of the debrief.toml nearest the postmortem.
    #[arg(long, env = "DEBRIEF_CONFIG")]
    pub config: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum ActionsCommand {
    /// Create an issue for every open action item without a tracker reference, and write
    /// the references into the files (only the items' lines change).
    #[command(after_help = "Examples:\n  \
                            debrief actions sync --dry-run postmortems/   # what would be created\n  \
                            debrief actions sync postmortems/\n\n\
                            The tracker is the one the front matter names (`tracker: NAME`), else the one of the \
                            postmortem's team or service, else the default, all from [trackers.NAME] in the \
                            nearest debrief.toml. Each issue carries a marker: a run that was interrupted finds \
                            the issues it created instead of creating them again.")]
    Sync(ActionsArgs),
    /// Bring the trackers' states back: done items ticked `[x]`, declined ones with the
    /// tracker's reason, reopened ones open again.
    #[command(after_help = "Example:\n  debrief actions status postmortems/")]
    Status(ActionsArgs),
}

#[derive(Debug, Args)]
pub struct ActionsArgs {
    /// Change nothing: print what would be done.
    #[arg(long)]
    pub dry_run: bool,
    /// The configuration file [default: the debrief.toml nearest each file]
    #[arg(long, env = "DEBRIEF_CONFIG")]
    pub config: Option<PathBuf>,
    /// Markdown files, or directories to walk.
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// Markdown files, or directories to walk.
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// The server's URL.
    #[arg(long, env = "DEBRIEF_SERVER")]
    pub server: String,
    /// An API token (create one with POST /api/v1/tokens).
    #[arg(long, env = "DEBRIEF_TOKEN", hide_env_values = true)]
    pub token: String,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// The directory to write into (created if missing).
    pub dir: PathBuf,
    /// The server's URL.
    #[arg(long, env = "DEBRIEF_SERVER")]
    pub server: String,
    /// An API token.
    #[arg(long, env = "DEBRIEF_TOKEN", hide_env_values = true)]
    pub token: String,
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address to listen on [default: 127.0.0.1:8080]
    #[arg(long, env = "DEBRIEF_LISTEN")]
    pub listen: Option<String>,
    /// The directory of the embedded SQLite store [default: debrief-data]
    #[arg(long, env = "DEBRIEF_DATA")]
    pub data: Option<PathBuf>,
    /// A database URL (postgres://...) instead of the embedded store.
    #[arg(long, env = "DEBRIEF_DATABASE_URL")]
    pub database_url: Option<String>,
    /// Database connections per instance [default: 4 for SQLite; twice the cores, at least 4, for PostgreSQL]
    #[arg(long, env = "DEBRIEF_POOL_SIZE")]
    pub pool_size: Option<u32>,
    /// The configuration file [default: ./debrief.toml, when there is one]
    #[arg(long, env = "DEBRIEF_CONFIG")]
    pub config: Option<PathBuf>,
    /// Start on a fresh store in a temporary directory, seeded with example postmortems and
    /// one account per role, whose passwords are printed
    #[arg(long, conflicts_with_all = ["data", "database_url"])]
    pub demo: bool,
}

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Add a user to the server's store: the way to create the first admin.
    #[command(after_help = "Example:\n  \
                            DEBRIEF_PASSWORD='a long passphrase' debrief user add priya --function SRE --role admin\n\n\
                            Without DEBRIEF_PASSWORD the password is read from the first line of standard input.")]
    Add(UserAddArgs),
}

#[derive(Debug, Args)]
pub struct UserAddArgs {
    /// Login name: letters, digits, '.', '-' and '_'.
    pub username: String,
    /// Their function: Dev, Ops, Product, SRE, Security, Observability, Support, ...
    #[arg(long, short)]
    pub function: String,
    /// What they may do.
    #[arg(long, short, value_enum, default_value_t = UserRole::Contributor)]
    pub role: UserRole,
    /// The name shown to people [default: the username]
    #[arg(long, short)]
    pub name: Option<String>,
    /// Their team ("payments", "platform").
    #[arg(long, short)]
    pub team: Option<String>,
    /// The directory of the embedded SQLite store.
    #[arg(long, env = "DEBRIEF_DATA", default_value = "debrief-data")]
    pub data: PathBuf,
    /// A database URL (postgres://...) instead of the embedded store.
    #[arg(long, env = "DEBRIEF_DATABASE_URL")]
    pub database_url: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum UserRole {
    /// Reads what they may see.
    Viewer,
    /// Also writes postmortems and contributions.
    Contributor,
    /// Also manages users and sees every postmortem.
    Admin,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LintFormat {
    /// rustc-style, with the source line and a caret under the words.
    Human,
    /// `{"files": [{"path", "diagnostics": [...]}]}`.
    Json,
    /// SARIF 2.1.0.
    Sarif,
    /// GitHub Actions workflow annotations.
    Github,
}

#[derive(Debug, Args)]
pub struct LintArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = LintFormat::Human)]
    pub format: LintFormat,
    /// Apply safe rewrites (roster names become roles, who-questions become how-questions).
    #[arg(long)]
    pub fix: bool,
    /// Use this configuration instead of the debrief.toml found next to each file.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// The date overdue action items are measured against, YYYY-MM-DD [default: today]
    #[arg(long)]
    pub today: Option<Date>,
    /// Files checked at once [default: the number of cores]
    #[arg(long, short)]
    pub jobs: Option<usize>,
    /// Report only the findings this baseline file does not record; exit 1 only for those.
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    /// Record every finding into this baseline file (JSON) instead of reporting them, and exit
    /// 0. Not with --fix: fix first, then record what is left.
    #[arg(long, value_name = "FILE", conflicts_with_all = ["fix", "baseline"])]
    pub write_baseline: Option<PathBuf>,
    /// Files or directories (walked for Markdown files); `-` reads standard input.
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
}

#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// A rule id, such as named-individual; without one, every rule is listed.
    pub rule: Option<String>,
}

#[derive(Debug, Args)]
pub struct NewArgs {
    /// The incident's title.
    #[arg(long, short)]
    pub title: String,
    /// The incident's date, YYYY-MM-DD [default: today]
    #[arg(long, short)]
    pub date: Option<Date>,
    /// Severity, for example SEV2.
    #[arg(long, short)]
    pub severity: Option<String>,
    /// Directory to write the file in.
    #[arg(long, default_value = ".")]
    pub dir: PathBuf,
}

#[derive(Debug, Args)]
pub struct FmtArgs {
    /// Do not write; list the files that would change and exit 1 if any.
    #[arg(long)]
    pub check: bool,
    /// Do not write; print what would change as a unified diff and exit 1 if anything would.
    #[arg(long)]
    pub diff: bool,
    /// Files or directories (walked for Markdown files).
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ShowFormat {
    Text,
    Json,
}

#[derive(Debug, Args)]
pub struct ShowArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = ShowFormat::Text)]
    pub format: ShowFormat,
    /// The postmortem to show.
    pub file: PathBuf,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum MetricsFormat {
    Table,
    Csv,
    Json,
}

#[derive(Debug, Args)]
pub struct PublishArgs {
    /// Files or directories (walked for Markdown files).
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// The directory to write the site into (created if missing).
    #[arg(long)]
    pub out: PathBuf,
    /// Publish restricted postmortems too.
    #[arg(long)]
    pub include_restricted: bool,
    /// Publish drafts too (any status but `published` or `closed`, or none), marked as drafts.
    #[arg(long)]
    pub include_drafts: bool,
    /// The site's name.
    #[arg(long, default_value = "Postmortems")]
    pub title: String,
    /// The address the site is served from, for the Atom feed's links.
    #[arg(long)]
    pub base_url: Option<String>,
    /// Today, for the review's overdue items (YYYY-MM-DD) [default: today]
    #[arg(long)]
    pub today: Option<jiff::civil::Date>,
    /// Use this configuration instead of the debrief.toml found next to each file.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct ReviewArgs {
    /// The first day of the period (YYYY-MM-DD) [default: since the first postmortem]
    #[arg(long)]
    pub from: Option<jiff::civil::Date>,
    /// The last day of the period (YYYY-MM-DD) [default: up to the last postmortem]
    #[arg(long)]
    pub to: Option<jiff::civil::Date>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = ReviewFormat::Md)]
    pub format: ReviewFormat,
    /// Today, for overdue items and ages (YYYY-MM-DD) [default: today]
    #[arg(long)]
    pub today: Option<jiff::civil::Date>,
    /// Write the report into this directory (review.md with its charts as SVG files beside
    /// it, review.html or review.json) instead of standard output.
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Use this configuration instead of the debrief.toml found next to each file.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Files or directories (walked for Markdown files).
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReviewFormat {
    /// A Markdown report (with --out, its charts as SVG files beside it).
    Md,
    /// One HTML page with the charts inline.
    Html,
    /// The whole review as JSON.
    Json,
}

#[derive(Debug, Args)]
pub struct MetricsArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = MetricsFormat::Table)]
    pub format: MetricsFormat,
    /// Files or directories (walked for Markdown files).
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
}
