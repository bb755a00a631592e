//! Colours and text styles.

use ratatui::style::{Color, Modifier, Style};

use crate::lint::Severity;

pub(crate) fn severity(s: Severity) -> Style {
    match s {
        Severity::Error => Style::new().fg(Color::Red).add_modifier(Modifier::BOLD),
        Severity::Warning => Style::new().fg(Color::Yellow).add_modifier(Modifier::BOLD),
        Severity::Info => Style::new().fg(Color::Cyan),
    }
}

pub(crate) fn ok() -> Style {
    Style::new().fg(Color::Green).add_modifier(Modifier::BOLD)
}

pub(crate) fn bad() -> Style {
    severity(Severity::Error)
}

pub(crate) fn warn() -> Style {
    severity(Severity::Warning)
}

pub(crate) fn dim() -> Style {
    Style::new().add_modifier(Modifier::DIM)
}

pub(crate) fn label() -> Style {
    Style::new().add_modifier(Modifier::BOLD)
}

pub(crate) fn title() -> Style {
    Style::new().fg(Color::Cyan).add_modifier(Modifier::BOLD)
}

pub(crate) fn border(focused: bool) -> Style {
    if focused {
        Style::new().fg(Color::Cyan)
    } else {
        Style::new().fg(Color::DarkGray)
    }
}

pub(crate) fn selected() -> Style {
    Style::new().add_modifier(Modifier::REVERSED)
}

pub(crate) fn tab_active() -> Style {
    Style::new()
        .fg(Color::Cyan)
        .add_modifier(Modifier::BOLD | Modifier::UNDERLINED)
}

pub(crate) fn key() -> Style {
    Style::new().fg(Color::Cyan).add_modifier(Modifier::BOLD)
}

pub(crate) fn xml_punct() -> Style {
    Style::new().fg(Color::DarkGray)
}

pub(crate) fn xml_tag() -> Style {
    Style::new().fg(Color::Blue).add_modifier(Modifier::BOLD)
}

pub(crate) fn xml_attr() -> Style {
    Style::new().fg(Color::Magenta)
}

pub(crate) fn xml_value() -> Style {
    Style::new().fg(Color::Green)
}

pub(crate) fn xml_comment() -> Style {
    Style::new()
        .fg(Color::DarkGray)
        .add_modifier(Modifier::ITALIC)
}

pub(crate) fn finding_line() -> Style {
    Style::new().bg(Color::Red).fg(Color::White)
}

pub(crate) fn cursor_line() -> Style {
    Style::new().bg(Color::DarkGray)
}

pub(crate) fn search_match() -> Style {
    Style::new().bg(Color::Yellow).fg(Color::Black)
}

pub(crate) fn signed_gutter() -> Style {
    Style::new().fg(Color::Green)
}
