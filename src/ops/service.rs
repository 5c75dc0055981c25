//! `signage install-service`: start the wall with the session and keep it running. On Linux a
//! systemd user unit, on Windows a Task Scheduler task (at log-on, restart on failure, no time
//! limit, highest privileges, normal priority). The player always runs `--supervise`d, so a
//! frozen player is restarted within seconds; the service restarts the supervisor.
//! The definitions are plain text made here, so that they can be printed and tested anywhere.

use std::path::{Path, PathBuf};

/// Which system's service definition.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum System {
    Linux,
    Windows,
}

impl System {
    pub fn this() -> System {
        if cfg!(windows) {
            System::Windows
        } else {
            System::Linux
        }
    }
}

/// What the service runs: the program and the arguments after it (`play …`), with every path
/// absolute, since a service does not start in the folder the command was typed in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invocation {
    pub exe: PathBuf,
    pub args: Vec<String>,
    pub name: String,
}

/// The service file: a systemd unit, or a Task Scheduler task's XML.
pub fn definition(system: System, inv: &Invocation) -> String {
    match system {
        System::Linux => systemd_unit(inv),
        System::Windows => task_xml(inv),
    }
}

/// Where the definition goes, and how to undo the installation.
pub fn removal(system: System, inv: &Invocation, file: Option<&Path>) -> String {
    match system {
        System::Linux => format!(
            "systemctl --user disable --now {name}.service && rm {file}",
            name = inv.name,
            file = file.map_or(
                format!("~/.config/systemd/user/{}.service", inv.name),
                |f| { f.display().to_string() }
            )
        ),
        System::Windows => format!("schtasks /Delete /TN \"{}\" /F", inv.name),
    }
}

fn systemd_unit(inv: &Invocation) -> String {
    let command: Vec<String> = std::iter::once(inv.exe.display().to_string())
        .chain(inv.args.iter().cloned())
        .map(|a| systemd_quote(&a))
        .collect();
    format!(
        "# Made by `signage install-service`. Remove with:\n\
         #   {remove}\n\
         [Unit]\n\
         Description=signage LED wall player ({name})\n\
         After=graphical-session.target\n\
         PartOf=graphical-session.target\n\
         \n\
         [Service]\n\
         ExecStart={command}\n\
         Restart=always\n\
         RestartSec=2\n\
         \n\
         [Install]\n\
         WantedBy=graphical-session.target\n",
        remove = removal(System::Linux, inv, None),
        name = inv.name,
        command = command.join(" ")
    )
}

/// An argument as systemd's ExecStart reads it: quoted when it has spaces or quotes, with `%`
/// (systemd's specifier sign) doubled.
fn systemd_quote(arg: &str) -> String {
    let arg = arg.replace('%', "%%");
    if arg.is_empty() || arg.contains([' ', '\t', '"', '\'', '\\', ';']) {
        format!("\"{}\"", arg.replace('\\', "\\\\").replace('"', "\\\""))
    } else {
        arg
    }
}

fn task_xml(inv: &Invocation) -> String {
    let args: Vec<String> = inv.args.iter().map(|a| windows_quote(a)).collect();
    let exe = inv.exe.display().to_string();
    // The program's folder, by Windows rules whatever system makes the file.
    let folder = exe.rsplit_once(['\\', '/']).map_or(".", |(dir, _)| dir);
    format!(
        r#"<?xml version="1.0" encoding="UTF-16"?>
<Task version="1.2" xmlns="http://schemas.microsoft.com/windows/2004/02/mit/task">
  <RegistrationInfo>
    <Description>signage LED wall player ({name}). Made by `signage install-service`; remove with: {remove}</Description>
  </RegistrationInfo>
  <Triggers>
    <LogonTrigger>
      <Enabled>true</Enabled>
    </LogonTrigger>
  </Triggers>
  <Principals>
    <Principal id="Author">
      <LogonType>InteractiveToken</LogonType>
      <RunLevel>HighestAvailable</RunLevel>
    </Principal>
  </Principals>
  <Settings>
    <MultipleInstancesPolicy>IgnoreNew</MultipleInstancesPolicy>
    <DisallowStartIfOnBatteries>false</DisallowStartIfOnBatteries>
    <StopIfGoingOnBatteries>false</StopIfGoingOnBatteries>
    <AllowHardTerminate>true</AllowHardTerminate>
    <StartWhenAvailable>true</StartWhenAvailable>
    <IdleSettings>
      <StopOnIdleEnd>false</StopOnIdleEnd>
      <RestartOnIdle>false</RestartOnIdle>
    </IdleSettings>
    <ExecutionTimeLimit>PT0S</ExecutionTimeLimit>
    <RestartOnFailure>
      <Interval>PT1M</Interval>
      <Count>999</Count>
    </RestartOnFailure>
    <Priority>4</Priority>
  </Settings>
  <Actions Context="Author">
    <Exec>
      <Command>{exe}</Command>
      <Arguments>{args}</Arguments>
      <WorkingDirectory>{folder}</WorkingDirectory>
    </Exec>
  </Actions>
</Task>
"#,
        remove = xml(&removal(System::Windows, inv, None)),
        name = xml(&inv.name),
        exe = xml(&exe),
        args = xml(&args.join(" ")),
        folder = xml(folder),
    )
}

/// An argument as a Windows command line reads it (quoted when it has spaces).
fn windows_quote(arg: &str) -> String {
    if arg.is_empty() || arg.contains([' ', '\t', '"']) {
        format!("\"{}\"", arg.replace('"', "\\\""))
    } else {
        arg.to_string()
    }
}

fn xml(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&apos;")
}

/// Installs the service for this system: writes the unit and enables it (Linux), or registers
/// the task (Windows). Returns what was done, for the user.
pub fn install(inv: &Invocation) -> Result<String, String> {
    match System::this() {
        System::Linux => install_systemd(inv),
        System::Windows => install_task(inv),
    }
}

fn install_systemd(inv: &Invocation) -> Result<String, String> {
    let home = std::env::var_os("HOME").ok_or("HOME is not set")?;
    let dir = PathBuf::from(home).join(".config/systemd/user");
    std::fs::create_dir_all(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    let file = dir.join(format!("{}.service", inv.name));
    crate::watch::write_atomically(&file, &systemd_unit(inv))
        .map_err(|e| format!("cannot write {}: {e}", file.display()))?;
    let mut done = format!("wrote {}\n", file.display());
    let enable = std::process::Command::new("systemctl")
        .args(["--user", "daemon-reload"])
        .status()
        .and_then(|_| {
            std::process::Command::new("systemctl")
                .args(["--user", "enable", &format!("{}.service", inv.name)])
                .status()
        });
    match enable {
        Ok(s) if s.success() => done += &format!(
            "enabled: it starts with your graphical session; start it now with\n  systemctl --user start {}.service\n",
            inv.name
        ),
        _ => done += &format!(
            "enable it with\n  systemctl --user daemon-reload && systemctl --user enable --now {}.service\n",
            inv.name
        ),
    }
    done += &format!(
        "remove it with\n  {}\n",
        removal(System::Linux, inv, Some(&file))
    );
    Ok(done)
}

fn install_task(inv: &Invocation) -> Result<String, String> {
    // schtasks wants the XML in UTF-16, as its declaration says.
    let xml = task_xml(inv);
    let mut bytes = vec![0xFF, 0xFE];
    bytes.extend(xml.encode_utf16().flat_map(u16::to_le_bytes));
    let file = std::env::temp_dir().join(format!("{}-task.xml", inv.name));
    std::fs::write(&file, bytes).map_err(|e| format!("cannot write {}: {e}", file.display()))?;
    let status = std::process::Command::new("schtasks")
        .args(["/Create", "/F", "/TN", &inv.name, "/XML"])
        .arg(&file)
        .status()
        .map_err(|e| format!("cannot run schtasks: {e}"))?;
    let _ = std::fs::remove_file(&file);
    if !status.success() {
        return Err(format!(
            "schtasks could not register the task ({status}); run `signage install-service --print …` and import the XML in the Task Scheduler"
        ));
    }
    Ok(format!(
        "registered the task \"{}\": it starts at log-on\nremove it with\n  {}\n",
        inv.name,
        removal(System::Windows, inv, None)
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn linux() -> Invocation {
        Invocation {
            exe: PathBuf::from("/opt/signage/signage"),
            args: vec![
                "play".into(),
                "/mnt/share/my walls/playlist.toml".into(),
                "--region".into(),
                "0,0,1920x320".into(),
                "--status".into(),
                "/var/tmp/100%.json".into(),
                "--supervise".into(),
            ],
            name: "signage".into(),
        }
    }

    #[test]
    fn a_systemd_unit_quotes_paths_and_escapes_specifiers() {
        let unit = definition(System::Linux, &linux());
        assert!(unit.contains(
            "ExecStart=/opt/signage/signage play \"/mnt/share/my walls/playlist.toml\" --region 0,0,1920x320 --status /var/tmp/100%%.json --supervise\n"
        ), "{unit}");
        assert!(unit.contains("Restart=always\n"));
        assert!(unit.contains("WantedBy=graphical-session.target\n"));
        assert!(unit.contains("systemctl --user disable --now signage.service"));
    }

    #[test]
    fn a_task_starts_at_log_on_without_time_limit_and_restarts() {
        let inv = Invocation {
            exe: PathBuf::from(r"C:\Program Files\signage\signage.exe"),
            args: vec![
                "play".into(),
                r"\\server\signage\playlist.toml".into(),
                "--region".into(),
                "0,0,1920x320".into(),
                "--log".into(),
                r"C:\signage logs\wall.log".into(),
                "--supervise".into(),
            ],
            name: "signage & co".into(),
        };
        let task = definition(System::Windows, &inv);
        for part in [
            "<LogonTrigger>",
            "<ExecutionTimeLimit>PT0S</ExecutionTimeLimit>",
            "<RestartOnFailure>",
            "<RunLevel>HighestAvailable</RunLevel>",
            "<Priority>4</Priority>",
            r"<Command>C:\Program Files\signage\signage.exe</Command>",
            r"<Arguments>play \\server\signage\playlist.toml --region 0,0,1920x320 --log &quot;C:\signage logs\wall.log&quot; --supervise</Arguments>",
            r"<WorkingDirectory>C:\Program Files\signage</WorkingDirectory>",
            "signage &amp; co",
        ] {
            assert!(task.contains(part), "{part} missing in\n{task}");
        }
    }
}
