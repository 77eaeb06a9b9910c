//! `server` runs the portal; `server import FILE.jsonl` loads documents or Q&A entries;
//! `server audit verify` checks the audit log's hash chain.

use std::process::ExitCode;

#[tokio::main]
async fn main() -> ExitCode {
    server::init_tracing();
    let args: Vec<String> = std::env::args().skip(1).collect();
    let settings = match server::Settings::from_env() {
        Ok(s) => s,
        Err(e) => {
            eprintln!("配置有误：{e}");
            return ExitCode::from(2);
        }
    };
    let outcome = match args.first().map(String::as_str) {
        None | Some("serve") => server::run(settings).await,
        Some("import") => match args.get(1) {
            Some(file) => server::import_file(&settings, file).await,
            None => Err(server::Error::Usage(
                "用法：server import FILE.jsonl".into(),
            )),
        },
        Some("audit") if args.get(1).map(String::as_str) == Some("verify") => {
            server::audit_verify(&settings).await
        }
        Some(other) => Err(server::Error::Usage(format!(
            "未知命令 {other}。用法：server [serve] | server import FILE.jsonl | server audit verify"
        ))),
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("{e}");
            ExitCode::FAILURE
        }
    }
}
