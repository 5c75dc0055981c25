//! Keys: on the wall only Ctrl+Alt+Q; in the preview, pause, skip, reload, save and help.

use super::*;

impl Running {
    /// Returns true to quit.
    pub(super) fn key(&mut self, event: &KeyEvent) -> bool {
        if event.state != ElementState::Pressed {
            return false;
        }
        let preview = self.placement == Placement::Window;
        tracing::debug!(
            "key {:?} ({:?}) with {:?}",
            event.logical_key,
            event.physical_key,
            self.keys.modifiers
        );
        let Some(action) = key_action(&event.logical_key, self.keys.modifiers, preview)
            .or_else(|| quit_chord(event, self.keys.modifiers))
        else {
            return false;
        };
        let at = Moment::now();
        match action {
            KeyAction::Quit => return true,
            KeyAction::TogglePause => {
                self.player.toggle_pause(at);
                self.update_overlay();
            }
            KeyAction::Next => self.player.skip(true, at),
            KeyAction::Previous => self.player.skip(false, at),
            KeyAction::ToggleHelp => {
                self.keys.help = !self.keys.help;
                self.update_overlay();
            }
            KeyAction::Reload => {
                if let Some(w) = &self.report.watcher {
                    w.reload_now();
                }
            }
            KeyAction::ToggleFullscreen => {
                let full = self.window.fullscreen().is_some();
                self.window
                    .set_fullscreen((!full).then_some(Fullscreen::Borderless(None)));
            }
            KeyAction::SaveFrame => self.save_frame(),
        }
        self.dirty = true;
        false
    }

    pub(super) fn update_overlay(&mut self) {
        use crate::lang::Msg;
        let paused = self.player.playhead().is_paused();
        let prefix = if paused {
            format!("{}  ", Msg::Paused)
        } else {
            String::new()
        };
        let text = match (&self.keys.banner, self.keys.help) {
            (Some(b), _) => Some(format!("{prefix}{b}")),
            (None, true) => Some(format!("{prefix}{}", Msg::KeysHelp)),
            (None, false) if paused => Some(Msg::PausedHelp.to_string()),
            _ => None,
        };
        let color = if self.keys.banner.is_some() {
            Color::rgb(255, 120, 120)
        } else {
            Color::WHITE
        };
        self.player.renderer().set_overlay(text.as_deref(), color);
        self.dirty = true;
    }

    pub(super) fn save_frame(&mut self) {
        let name = format!("signage-{}.png", Local::now().format("%Y%m%d-%H%M%S"));
        // Save what the wall shows: without the preview overlay.
        let shown = self.player.shown();
        let distance = self.player.playhead().ticker_now();
        let renderer = self.player.renderer();
        renderer.set_overlay(None, Color::WHITE);
        renderer.render(&shown, distance, None);
        match renderer
            .read_canvas()
            .and_then(|img| img.save(&name).map_err(|e| e.to_string()))
        {
            Ok(()) => tracing::info!("saved the frame as {name}"),
            Err(e) => tracing::error!("cannot save the frame: {e}"),
        }
        self.update_overlay();
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum KeyAction {
    Quit,
    TogglePause,
    Next,
    Previous,
    Reload,
    ToggleFullscreen,
    SaveFrame,
    ToggleHelp,
}

/// Ctrl+Alt+Q by the key's place on the keyboard: on Windows, Ctrl+Alt is AltGr, and the
/// character it gives depends on the layout (or is none at all).
pub(super) fn quit_chord(event: &KeyEvent, mods: ModifiersState) -> Option<KeyAction> {
    use winit::keyboard::{KeyCode, PhysicalKey};
    (mods.control_key() && mods.alt_key() && event.physical_key == PhysicalKey::Code(KeyCode::KeyQ))
        .then_some(KeyAction::Quit)
}

/// What a key does. On the wall (`preview` false) only Ctrl+Alt+Q does anything: a stray
/// keyboard must not stop or change the wall.
pub(super) fn key_action(key: &Key, mods: ModifiersState, preview: bool) -> Option<KeyAction> {
    let letter = match key {
        Key::Character(c) => c.to_lowercase(),
        _ => String::new(),
    };
    if mods.control_key() && mods.alt_key() && letter == "q" {
        return Some(KeyAction::Quit);
    }
    if !preview {
        return None;
    }
    match key {
        Key::Named(NamedKey::Escape) => Some(KeyAction::Quit),
        Key::Named(NamedKey::Space) => Some(KeyAction::TogglePause),
        Key::Named(NamedKey::ArrowRight) => Some(KeyAction::Next),
        Key::Named(NamedKey::ArrowLeft) => Some(KeyAction::Previous),
        Key::Named(NamedKey::F1) => Some(KeyAction::ToggleHelp),
        _ => match letter.as_str() {
            "q" => Some(KeyAction::Quit),
            "h" => Some(KeyAction::ToggleHelp),
            "r" => Some(KeyAction::Reload),
            "f" => Some(KeyAction::ToggleFullscreen),
            "s" => Some(KeyAction::SaveFrame),
            _ => None,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ch(c: &str) -> Key {
        Key::Character(c.into())
    }

    #[test]
    fn only_ctrl_alt_q_works_on_the_wall() {
        let ctrl_alt = ModifiersState::CONTROL | ModifiersState::ALT;
        assert_eq!(key_action(&ch("q"), ctrl_alt, false), Some(KeyAction::Quit));
        assert_eq!(key_action(&ch("Q"), ctrl_alt, false), Some(KeyAction::Quit));
        for key in [
            ch("q"),
            ch("r"),
            ch("s"),
            Key::Named(NamedKey::Escape),
            Key::Named(NamedKey::Space),
        ] {
            assert_eq!(
                key_action(&key, ModifiersState::empty(), false),
                None,
                "{key:?}"
            );
        }
        assert_eq!(key_action(&ch("q"), ModifiersState::CONTROL, false), None);
    }

    #[test]
    fn preview_keys() {
        let none = ModifiersState::empty();
        let cases = [
            (Key::Named(NamedKey::Space), KeyAction::TogglePause),
            (Key::Named(NamedKey::ArrowRight), KeyAction::Next),
            (Key::Named(NamedKey::ArrowLeft), KeyAction::Previous),
            (Key::Named(NamedKey::F1), KeyAction::ToggleHelp),
            (Key::Named(NamedKey::Escape), KeyAction::Quit),
            (ch("h"), KeyAction::ToggleHelp),
            (ch("R"), KeyAction::Reload),
            (ch("f"), KeyAction::ToggleFullscreen),
            (ch("s"), KeyAction::SaveFrame),
            (ch("q"), KeyAction::Quit),
        ];
        for (key, action) in cases {
            assert_eq!(key_action(&key, none, true), Some(action), "{key:?}");
        }
        assert_eq!(key_action(&ch("x"), none, true), None);
    }
}
