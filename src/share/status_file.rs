//! The status file (`play --status FILE`): one serde type, written by the player's watcher and
//! read by `signage status` and by the tests, so that a field renamed on one side is a compile
//! error on the other instead of a wall that silently reads as unknown.

use serde::{Deserialize, Serialize};

use crate::lang::Msg;

/// What a wall says about itself, replaced atomically every few seconds.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct StatusFile {
    pub playlist: String,
    /// When the playlist on the wall was loaded (local time with its offset).
    pub loaded_at: Option<String>,
    pub last_reload: LastReload,
    /// Loads started, the first included: a file the playlist does not use causes none.
    pub load_attempts: u64,
    pub current_slide: Option<String>,
    /// Frames a second over the last second, one decimal.
    pub fps: Option<f64>,
    /// Frames drawn since start, and when the last one was: a monitor tells frozen from idle.
    pub frames: u64,
    pub last_frame_at: Option<String>,
    /// Whether something should be moving (so frames should keep coming).
    pub moving: bool,
    /// Outside the display's on-hours: black, and no frames come.
    pub dark: bool,
    /// The brightness in percent while lit.
    pub brightness: Option<u8>,
    /// Something about the window a monitoring script should know (it lies outside every
    /// monitor, so nobody sees it).
    pub display_warning: Option<String>,
    pub uptime_s: Option<u64>,
    /// How changes are noticed: native file events, or polling (and why).
    pub watch_mode: String,
    pub share_not_answering_since: Option<String>,
    pub urgent: Option<UrgentStatus>,
    /// Why the urgent notice's file was not accepted, one line per problem.
    pub urgent_errors: Vec<String>,
    pub pid: u32,
    /// When this was written, by the wall's clock.
    pub written_at: String,
}

/// The last attempt to load the playlist.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct LastReload {
    pub result: ReloadResult,
    /// Every problem, one line each (warnings too when it was accepted).
    pub errors: Vec<String>,
    /// The files were read while still changing, after changing this many seconds.
    pub read_while_changing_s: Option<u64>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ReloadResult {
    /// Not read yet.
    #[default]
    Loading,
    /// Taken: the wall plays it.
    Ok,
    /// Not taken: the wall plays the last good playlist.
    Rejected,
}

impl ReloadResult {
    pub fn word(self) -> Msg {
        match self {
            ReloadResult::Loading => Msg::ReloadLoading,
            ReloadResult::Ok => Msg::ReloadOk,
            ReloadResult::Rejected => Msg::ReloadRejected,
        }
    }
}

/// The urgent notice the wall has.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct UrgentStatus {
    pub headline: String,
    pub file: String,
    pub since: String,
    pub until: Option<String>,
    /// Whether it is on the wall now (it is not while it waits for the display hours).
    pub on_wall: bool,
    pub wait_for_display_hours: bool,
}

impl StatusFile {
    /// A status file's text: JSON, pretty, with a final newline.
    pub fn to_text(&self) -> String {
        let mut text = serde_json::to_string_pretty(self).expect("a status always serialises");
        text.push('\n');
        text
    }

    /// Reads a status file's text; `None` for anything that is not one (empty, half written,
    /// another JSON file: a status file always says when it was written).
    pub fn parse(text: &[u8]) -> Option<StatusFile> {
        let value: serde_json::Value = serde_json::from_slice(text).ok()?;
        value.get("written_at")?;
        serde_json::from_value(value).ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_status_reads_back_as_written() {
        let status = StatusFile {
            playlist: "/share/lobby.toml".into(),
            last_reload: LastReload {
                result: ReloadResult::Rejected,
                errors: vec!["/share/lobby.toml:3:1: unknown key `duraton`".into()],
                read_while_changing_s: Some(30),
            },
            urgent: Some(UrgentStatus {
                headline: "停电通知".into(),
                on_wall: true,
                ..Default::default()
            }),
            fps: Some(59.9),
            written_at: "2027-03-01T09:00:00.000+08:00".into(),
            ..Default::default()
        };
        let text = status.to_text();
        assert!(text.contains("\"result\": \"rejected\""), "{text}");
        assert_eq!(StatusFile::parse(text.as_bytes()), Some(status));
    }

    #[test]
    fn only_status_files_read_as_status_files() {
        assert_eq!(StatusFile::parse(b""), None);
        assert_eq!(StatusFile::parse(b"{\"playlist\": \"/sha"), None);
        assert_eq!(StatusFile::parse(b"{\"$schema\": \"x\"}"), None);
        // One written by an older player, without the newer fields, still reads.
        let old = br#"{"playlist": "/p.toml", "last_reload": {"result": "ok"}, "written_at": "x"}"#;
        let read = StatusFile::parse(old).unwrap();
        assert_eq!(read.last_reload.result, ReloadResult::Ok);
        assert_eq!(read.load_attempts, 0);
    }
}
