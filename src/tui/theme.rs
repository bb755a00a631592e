//! Colours and text styles.

use ratatui::style::{Color, Modifier, Style};

use crate::lint::Severity;

pub fn severity(s: Severity) -> Style {
    match s {
        Severity::Error => Style::new().fg(Color::Red).add_modifier(Modifier::BOLD),
        Severity::Warning => Style::new().fg(Color::Yellow).add_modifier(Modifier::BOLD),
        Severity::Info => Style::new().fg(Color::Cyan),
    }
}

pub fn ok() -> Style {
    Style::new().fg(Color::Green).add_modifier(Modifier::BOLD)
}

pub fn bad() -> Style {
    severity(Severity::Error)
}

pub fn warn() -> Style {
    severity(Severity::Warning)
}

pub fn dim() -> Style {
    Style::new().add_modifier(Modifier::DIM)
}

pub fn label() -> Style {
    Style::new().add_modifier(Modifier::BOLD)
}

pub fn title() -> Style {
    Style::new().fg(Color::Cyan).add_modifier(Modifier::BOLD)
}

pub fn border(focused: bool) -> Style {
    if focused {
        Style::new().fg(Color::Cyan)
    } else {
        Style::new().fg(Color::DarkGray)
    }
}

pub fn selected() -> Style {
    Style::new().add_modifier(Modifier::REVERSED)
}

pub fn tab_active() -> Style {
    Style::new()
        .fg(Color::Cyan)
        .add_modifier(Modifier::BOLD | Modifier::UNDERLINED)
}

pub fn key() -> Style {
    Style::new().fg(Color::Cyan).add_modifier(Modifier::BOLD)
}

pub fn xml_punct() -> Style {
    Style::new().fg(Color::DarkGray)
}

pub fn xml_tag() -> Style {
    Style::new().fg(Color::Blue).add_modifier(Modifier::BOLD)
}

pub fn xml_attr() -> Style {
    Style::new().fg(Color::Magenta)
}

pub fn xml_value() -> Style {
    Style::new().fg(Color::Green)
}

pub fn xml_comment() -> Style {
    Style::new()
        .fg(Color::DarkGray)
        .add_modifier(Modifier::ITALIC)
}

pub fn finding_line() -> Style {
    Style::new().bg(Color::Red).fg(Color::White)
}

pub fn cursor_line() -> Style {
    Style::new().bg(Color::DarkGray)
}

pub fn search_match() -> Style {
    Style::new().bg(Color::Yellow).fg(Color::Black)
}

pub fn signed_gutter() -> Style {
    Style::new().fg(Color::Green)
}
