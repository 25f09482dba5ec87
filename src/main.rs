//! The `yardstick` command: serve, migrate, demo, user management.

use clap::{Parser, Subcommand};
use yardstick::config::Settings;
use yardstick::domain::Role;
use yardstick::startup::Application;
use yardstick::store;

/// mimalloc: under the survey load benchmark the system allocator took a fifth of the server's time.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(
    name = "yardstick",
    version,
    about = "Surveys and customer-satisfaction indices (ACSI / ECSI / CCSI)"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the web app (migrates the database first).
    Serve {
        /// Load the demo study and demo logins before serving.
        #[arg(long)]
        demo: bool,
        /// Port to listen on (0 picks a free port); overrides YARDSTICK_PORT.
        #[arg(long)]
        port: Option<u16>,
    },
    /// Apply database migrations.
    Migrate,
    /// Load the demo study (idempotent).
    Demo,
    /// Estimate a model on a CSV file with PLS path modelling (no database needed).
    Analyze(AnalyzeArgs),
    /// Manage users.
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
}

#[derive(Subcommand)]
enum UserCommand {
    /// Create a user, or change the role and password of an existing one.
    Add {
        #[arg(long)]
        email: String,
        #[arg(long, value_parser = parse_role)]
        role: Role,
        /// The password; if left out, read from YARDSTICK_NEW_PASSWORD or generated and printed.
        #[arg(long)]
        password: Option<String>,
        #[arg(long, default_value = "")]
        name: String,
    },
}

#[derive(clap::Args)]
struct AnalyzeArgs {
    /// A model file in the survey-templates format.
    #[arg(long)]
    model: std::path::PathBuf,
    /// A CSV file with one column per indicator code.
    #[arg(long)]
    data: std::path::PathBuf,
    #[arg(long, value_enum, default_value = "path")]
    scheme: SchemeArg,
    /// Only centre the indicators (R plspm `scaled = FALSE`).
    #[arg(long)]
    unscaled: bool,
    #[arg(long, value_enum, default_value = "mean")]
    missing: MissingArg,
    /// Bootstrap resamples (0: none).
    #[arg(long, default_value_t = 0)]
    bootstrap: usize,
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// IPMA target construct (default SAT).
    #[arg(long)]
    target: Option<String>,
    #[arg(long, value_enum, default_value = "text")]
    format: FormatArg,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum SchemeArg {
    Path,
    Centroid,
    Factorial,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum MissingArg {
    Mean,
    Casewise,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum FormatArg {
    Text,
    Json,
}

fn analyze(args: AnalyzeArgs) -> anyhow::Result<()> {
    use yardstick::analysis::{self, AnalysisOptions};
    use yardstick::csi::{Missing, Scheme};
    let read = |path: &std::path::Path| {
        std::fs::read_to_string(path)
            .map_err(|e| anyhow::anyhow!("cannot read {}: {e}", path.display()))
    };
    let model_name = args.model.display().to_string();
    let model = yardstick::domain::parse_model(&model_name, &read(&args.model)?)?;
    let data = analysis::data_from_csv(&model, &read(&args.data)?)
        .map_err(|problems| anyhow::anyhow!("{}: {}", args.data.display(), problems.join("\n")))?;
    let options = AnalysisOptions {
        scheme: match args.scheme {
            SchemeArg::Path => Scheme::Path,
            SchemeArg::Centroid => Scheme::Centroid,
            SchemeArg::Factorial => Scheme::Factorial,
        },
        scaled: !args.unscaled,
        missing: match args.missing {
            MissingArg::Mean => Missing::MeanReplacement,
            MissingArg::Casewise => Missing::CasewiseDeletion,
        },
        bootstrap: args.bootstrap,
        seed: args.seed,
        target: args.target,
    };
    let bar = indicatif::ProgressBar::new(args.bootstrap as u64);
    bar.set_draw_target(if args.bootstrap > 0 {
        indicatif::ProgressDrawTarget::stderr()
    } else {
        indicatif::ProgressDrawTarget::hidden()
    });
    bar.set_style(
        indicatif::ProgressStyle::with_template(
            "bootstrap {bar:40} {pos}/{len} resamples ({eta} left)",
        )
        .expect("valid template"),
    );
    let tick = |_: usize| bar.inc(1);
    let summary = analysis::run(&analysis::pls_model(&model), &data, &options, Some(&tick))?;
    bar.finish_and_clear();
    match args.format {
        FormatArg::Json => println!("{}", serde_json::to_string_pretty(&summary)?),
        FormatArg::Text => print!("{}", analysis::text::render(&summary)),
    }
    Ok(())
}

fn parse_role(s: &str) -> Result<Role, String> {
    s.parse()
}

#[tokio::main]
async fn main() {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("YARDSTICK_LOG")
                .unwrap_or_else(|_| "info,sqlx=warn,sea_orm=warn".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    if let Err(e) = run(Cli::parse()).await {
        eprintln!("error: {e:#}");
        std::process::exit(1);
    }
}

async fn run(cli: Cli) -> anyhow::Result<()> {
    if let Command::Analyze(args) = cli.command {
        return analyze(args);
    }
    let mut settings = Settings::load().map_err(anyhow::Error::msg)?;
    match cli.command {
        Command::Serve { demo, port } => {
            if let Some(port) = port {
                settings.port = port;
            }
            let db = store::connect(&settings.database_url).await?;
            store::migrate(&db).await?;
            if demo {
                let summary = yardstick::demo::seed(&db).await?;
                if summary.created {
                    println!("Demo study loaded: {} responses.", summary.responses);
                }
            }
            let app = Application::build_with(settings, db).await?;
            println!("Yardstick is listening on {}", app.public_url);
            if demo {
                println!("Demo survey:  {}/s/demo", app.public_url);
                println!("Demo logins ({}/login):", app.public_url);
                for (email, password, role) in yardstick::demo::DEMO_LOGINS {
                    println!("  {role:<8} {email} / {password}");
                }
            }
            app.run_until_stopped().await?;
        }
        Command::Migrate => {
            let db = store::connect(&settings.database_url).await?;
            store::migrate(&db).await?;
            println!("Migrations applied.");
        }
        Command::Demo => {
            let db = store::connect(&settings.database_url).await?;
            store::migrate(&db).await?;
            let summary = yardstick::demo::seed(&db).await?;
            if summary.created {
                println!(
                    "Demo study loaded: {} responses; survey at /s/{}",
                    summary.responses, summary.slug
                );
            } else {
                println!("The demo study is already there; nothing added.");
            }
        }
        Command::Analyze(_) => unreachable!("handled before settings are read"),
        Command::User {
            command:
                UserCommand::Add {
                    email,
                    role,
                    password,
                    name,
                },
        } => {
            if !email.contains('@') || email.trim().len() < 3 {
                anyhow::bail!("--email “{email}” is not an email address");
            }
            let (password, generated) =
                match password.or_else(|| std::env::var("YARDSTICK_NEW_PASSWORD").ok()) {
                    Some(p) if p.chars().count() >= 8 => (p, false),
                    Some(_) => anyhow::bail!("the password must have at least 8 characters"),
                    None => (
                        yardstick::web::context::random_token()[..16].to_owned(),
                        true,
                    ),
                };
            let db = store::connect(&settings.database_url).await?;
            store::migrate(&db).await?;
            let user = store::users::upsert(&db, &email, &name, &password, role).await?;
            // A new password ends the user's sessions (copied cookies included).
            store::sessions::end_all(&db, user.id).await?;
            store::audit::record(
                &db,
                &store::audit::Actor::system("cli"),
                "user add",
                &user.email,
                role.as_str(),
            )
            .await?;
            println!("User {} has role {}.", user.email, user.role);
            if generated {
                println!("Password: {password}");
            }
        }
    }
    Ok(())
}
