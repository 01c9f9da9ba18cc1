//! The `gridwork` command: parses arguments and calls the library.

use std::path::PathBuf;

use clap::{Parser, Subcommand};
use gridwork::auth::Role;
use gridwork::cli::{CliError, CliResult};
use gridwork::config::Settings;

#[derive(Parser)]
#[command(
    name = "gridwork",
    version,
    about = "Gridwork (网格通): grid-based governance for a street office"
)]
struct Cli {
    /// Data directory: the SQLite file, uploads, the session key [env: GRIDWORK_DATA_DIR]
    #[arg(long, global = true)]
    data: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run the web server (migrations run first)
    Serve {
        /// Address to listen on [env: GRIDWORK_BIND] (default 127.0.0.1:8080)
        #[arg(long)]
        bind: Option<String>,
        /// Fill an empty database with the demo data and print the demo logins
        #[arg(long)]
        demo: bool,
    },
    /// Bring the database schema up to date and exit
    Migrate,
    /// Manage accounts from the command line
    #[command(subcommand)]
    User(UserCommand),
    /// Fill an empty database with deterministic demo data at any scale
    Demo {
        /// Streets in the district (the seed's two, then synthetic ones of the same size)
        #[arg(long, default_value_t = 2)]
        streets: usize,
        /// Days of history for day-based records (a year: figures, trends and summaries have
        /// a shape to read)
        #[arg(long, default_value_t = 365)]
        days: usize,
    },
    /// Write an online, consistent backup of the database (SQLite: a database file; PostgreSQL:
    /// a pg_dump file)
    Backup {
        #[arg(long)]
        to: PathBuf,
    },
    /// Put a SQLite backup back, once it checks out (stop the server first; PostgreSQL: use
    /// pg_restore)
    Restore {
        #[arg(long)]
        from: PathBuf,
    },
}

#[derive(Subcommand)]
enum UserCommand {
    /// Create an account (the first admin of a new installation, for one)
    Add {
        #[arg(long)]
        username: String,
        #[arg(long)]
        name: String,
        #[arg(long, default_value = "admin",
              value_parser = clap::builder::PossibleValuesParser::new(Role::ALL.map(Role::code)))]
        role: String,
        /// Org unit id (default: the root of the tree)
        #[arg(long)]
        org: Option<i32>,
        /// When the tree is empty: the name of the district to create as its root
        #[arg(long, default_value = "District")]
        district: String,
        /// Initial password [env: GRIDWORK_NEW_PASSWORD]; it must be changed at first login
        #[arg(long, env = "GRIDWORK_NEW_PASSWORD", hide_env_values = true)]
        password: String,
    },
    /// Set a new password (to be changed at next login) and end the account's sessions
    Passwd {
        #[arg(long)]
        username: String,
        #[arg(long, env = "GRIDWORK_NEW_PASSWORD", hide_env_values = true)]
        password: String,
    },
    /// Lift a login lockout
    Unlock {
        #[arg(long)]
        username: String,
    },
}

fn main() {
    let cli = Cli::parse();
    let settings = match Settings::load(cli.data.as_deref()) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("gridwork: {e}");
            std::process::exit(2);
        }
    };
    init_logging(&settings);
    if let Err(e) = run(cli.command, settings) {
        eprintln!("gridwork: {}", e.report());
        std::process::exit(1);
    }
}

fn init_logging(settings: &Settings) {
    use tracing_subscriber::EnvFilter;
    let filter = EnvFilter::try_from_env("GRIDWORK_LOG").unwrap_or_else(|_| EnvFilter::new("info"));
    if settings.log_json {
        tracing_subscriber::fmt()
            .json()
            .with_env_filter(filter)
            .init();
    } else {
        tracing_subscriber::fmt().with_env_filter(filter).init();
    }
}

/// Opens the store; its failures (a directory that cannot be made, no server at the URL) are the
/// operator's to fix, not bugs.
fn open(settings: &Settings) -> CliResult<gridwork::db::Pool> {
    gridwork::startup::open_store(settings).map_err(CliError::plain)
}

fn connection(pool: &gridwork::db::Pool) -> CliResult<gridwork::db::PooledConn> {
    pool.get()
        .map_err(|e| CliError::Refused(format!("cannot connect to the database: {e}")))
}

fn run(command: Command, mut settings: Settings) -> CliResult<()> {
    match command {
        Command::Serve { bind, demo } => {
            if let Some(b) = bind {
                settings.bind = b;
            }
            let pool = open(&settings)?;
            if demo {
                let mut conn = connection(&pool)?;
                if gridwork::demo::is_empty(&mut conn)? {
                    gridwork::demo::seed(
                        &mut conn,
                        &gridwork::demo::DemoOptions {
                            streets: 2,
                            days: 365,
                        },
                    )?;
                }
                print_demo_logins();
            }
            // Its failures are the settings' (the address, the key, the time zone, the bucket).
            let (server, addr) =
                gridwork::startup::build(settings, pool).map_err(CliError::plain)?;
            println!("Gridwork is listening on http://{addr}");
            actix_web::rt::System::new()
                .block_on(server)
                .map_err(|e| CliError::from(gridwork::error::AppError::internal("server", e)))
        }
        Command::Migrate => {
            open(&settings)?;
            println!("migrations are up to date");
            Ok(())
        }
        // Makes its database where there is none, like `migrate`: that is what it is for.
        Command::Demo { streets, days } => {
            let pool = open(&settings)?;
            let mut conn = connection(&pool)?;
            if !gridwork::demo::is_empty(&mut conn)? {
                return Err(CliError::refused(
                    "the database is not empty: demo data only fills an empty one",
                ));
            }
            let units =
                gridwork::demo::seed(&mut conn, &gridwork::demo::DemoOptions { streets, days })?;
            println!("demo data: {streets} streets, {units} org units");
            print_demo_logins();
            Ok(())
        }
        Command::Backup { to } => {
            gridwork::cli::require_database(&settings)?;
            let pool = open(&settings)?;
            let mut conn = connection(&pool)?;
            println!(
                "{}",
                gridwork::backup::run(&mut conn, &settings.database_url(), &to)?
            );
            Ok(())
        }
        // No pool and no migration: the file to be replaced is only looked at.
        Command::Restore { from } => {
            println!("{}", gridwork::backup::restore(&settings, &from)?);
            Ok(())
        }
        Command::User(cmd) => {
            gridwork::cli::require_database(&settings)?;
            let pool = open(&settings)?;
            let mut conn = connection(&pool)?;
            let msg = match cmd {
                UserCommand::Add {
                    username,
                    name,
                    role,
                    org,
                    district,
                    password,
                } => gridwork::users::cli::add(
                    &mut conn, &settings, &username, &name, &role, org, &district, &password,
                )?,
                UserCommand::Passwd { username, password } => {
                    gridwork::users::cli::passwd(&mut conn, &settings, &username, &password)?
                }
                UserCommand::Unlock { username } => {
                    gridwork::users::cli::unlock(&mut conn, &username)?
                }
            };
            println!("{msg}");
            Ok(())
        }
    }
}

fn print_demo_logins() {
    eprintln!(
        "WARNING: demo accounts use the public password {}; never use --demo with real data.",
        gridwork::demo::DEMO_PASSWORD
    );
    println!("Demo logins (password {}):", gridwork::demo::DEMO_PASSWORD);
    for (user, role, what) in gridwork::demo::DEMO_LOGINS {
        println!("  {user:<10} {role:<17} {what}");
    }
}
