//! `samlint.toml`: discovered upward from the working directory (or given with
//! `--config`), read with spans, then checked against the rule registry. Every error
//! names the file and line. Command-line flags override what the file says.
//!
//! ```toml
//! profile = "aws-iam"                 # aws-iam | aws-identity-center | generic | auto
//! ignore = ["response-too-large"]     # rule ids or codes
//!
//! [severity]                          # rule id or code = error | warning | info
//! role-arn-whitespace = "error"
//!
//! [trust]                             # paths are relative to this file
//! idp_metadata = ["okta-metadata.xml"]
//! idp_cert = []
//! idp_fingerprint = []
//! engine = "rust"                     # rust | xmlsec | both (--engine)
//!
//! [context]                           # what exists in AWS (RULES.md "Context")
//! saml_providers = ["arn:aws:iam::123456789012:saml-provider/Okta"]
//!
//! [limits]                            # hardening limits (RULES.md xml-limits-exceeded)
//! max_depth = 256
//!
//! [keys]                              # the terminal UI's keys (docs/tui.md, "Keys")
//! quit = "ctrl-q"
//! page_down = ["pgdown", "ctrl-f"]
//! ```

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use toml::Spanned;

use crate::limits::Limits;
use crate::lint::overrides::Overrides;
use crate::lint::{Expected, Profile, Severity, registry};
use crate::tui::keys::{Cmd, KEY_SYNTAX, Key, Keymap};

pub(crate) const FILE_NAME: &str = "samlint.toml";

/// A configuration error, pointing at the file and line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ConfigError {
    /// The file as shown to the user.
    pub file: String,
    pub line: Option<usize>,
    pub message: String,
    pub help: String,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{line}: {}", self.file, self.message),
            None => write!(f, "{}: {}", self.file, self.message),
        }
    }
}

impl std::error::Error for ConfigError {}

/// Trust material named in the file, with paths resolved against its directory.
#[allow(clippy::struct_field_names)] // named as the flags
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TrustConfig {
    pub idp_metadata: Vec<PathBuf>,
    pub idp_cert: Vec<PathBuf>,
    pub idp_fingerprint: Vec<String>,
    /// `engine = "rust" | "xmlsec" | "both"`.
    pub engine: Option<crate::verify::Engine>,
}

/// A checked configuration.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Config {
    /// The file as shown to the user.
    pub file: String,
    /// `None`: not set; `Some(None)`: `auto`.
    #[allow(clippy::option_option)] // three states, as the `--profile` flag has them
    pub profile: Option<Option<Profile>>,
    pub trust: TrustConfig,
    pub context: Expected,
    pub limits: Limits,
    pub overrides: Overrides,
    /// `[aws] paths`: AWS exports, resolved against the file's directory.
    pub aws_paths: Vec<PathBuf>,
    /// `[keys]` laid over the default keys of the terminal UI.
    pub keys: Keymap,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    profile: Option<Spanned<String>>,
    #[serde(default)]
    ignore: Vec<Spanned<String>>,
    #[serde(default)]
    severity: BTreeMap<Spanned<String>, Spanned<String>>,
    #[serde(default)]
    trust: RawTrust,
    #[serde(default)]
    context: Expected,
    #[serde(default)]
    limits: Limits,
    #[serde(default)]
    aws: RawAws,
    /// Command id = key or list of keys (checked in [`keymap`]).
    #[serde(default)]
    keys: BTreeMap<Spanned<String>, Spanned<toml::Value>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
struct RawAws {
    paths: Vec<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
#[allow(clippy::struct_field_names)] // the keys are named as the flags
struct RawTrust {
    idp_metadata: Vec<String>,
    idp_cert: Vec<String>,
    idp_fingerprint: Vec<String>,
    engine: Option<crate::verify::Engine>,
}

/// The nearest `samlint.toml` in `start` or one of its ancestors.
pub(crate) fn discover(start: &Path) -> Option<PathBuf> {
    start
        .ancestors()
        .map(|dir| dir.join(FILE_NAME))
        .find(|p| p.is_file())
}

/// How a discovered file is shown: relative to `start` (`samlint.toml`,
/// `../samlint.toml`), else as found.
fn display_name(path: &Path, start: &Path) -> String {
    for (up, dir) in start.ancestors().enumerate() {
        if path.parent() == Some(dir) {
            return format!("{}{FILE_NAME}", "../".repeat(up));
        }
    }
    path.display().to_string()
}

/// Finds and reads the configuration for a run: `explicit` (`--config`) if given,
/// else the nearest `samlint.toml` upward from `cwd`.
///
/// # Errors
/// The file cannot be read or is invalid.
pub(crate) fn load(explicit: Option<&Path>, cwd: &Path) -> Result<Option<Config>, ConfigError> {
    let (path, shown) = match explicit {
        Some(p) => (p.to_path_buf(), p.display().to_string()),
        None => match discover(cwd) {
            Some(p) => {
                let shown = display_name(&p, cwd);
                (p, shown)
            }
            None => return Ok(None),
        },
    };
    let text = std::fs::read_to_string(&path).map_err(|e| ConfigError {
        file: shown.clone(),
        line: None,
        message: format!("cannot be read: {e}"),
        help: "pass an existing file to --config, or --no-config to use none".to_owned(),
    })?;
    let base = path.parent().unwrap_or(Path::new("."));
    parse(&text, &shown, base).map(Some)
}

fn line_of(text: &str, offset: usize) -> usize {
    text.get(..offset)
        .map_or(0, |t| t.bytes().filter(|b| *b == b'\n').count())
        + 1
}

/// Parses and checks a configuration. `file` is the name shown in errors, `base`
/// the directory relative paths are resolved against.
///
/// # Errors
/// Invalid TOML, unknown keys, wrong types, unknown rules, severities or profiles.
pub(crate) fn parse(text: &str, file: &str, base: &Path) -> Result<Config, ConfigError> {
    let err = |span: Option<std::ops::Range<usize>>, message: String, help: &str| ConfigError {
        file: file.to_owned(),
        line: span.map(|s| line_of(text, s.start)),
        message,
        help: help.to_owned(),
    };
    let raw: RawConfig = toml::from_str(text).map_err(|e| {
        let message = e.message().trim().replace('\n', " ");
        let help = if message.starts_with("unknown field") {
            "samlint.toml knows: profile, ignore, [severity], [trust], [context], [limits], [aws], [keys] (docs/guide.md, \"Configuration\")"
        } else {
            "see docs/guide.md, \"Configuration\", for the keys and their types"
        };
        err(e.span(), message, help)
    })?;

    let profile = match &raw.profile {
        None => None,
        Some(p) => Some(match p.get_ref().as_str() {
            "auto" => None,
            "aws-iam" => Some(Profile::AwsIam),
            "aws-identity-center" => Some(Profile::AwsIdentityCenter),
            "generic" => Some(Profile::Generic),
            other => {
                return Err(err(
                    Some(p.span()),
                    format!(
                        "profile '{other}' is not one of aws-iam, aws-identity-center, generic, auto"
                    ),
                    "set profile to one of the four names",
                ));
            }
        }),
    };

    let rule = |name: &Spanned<String>| {
        registry::find(name.get_ref()).ok_or_else(|| {
            let hint = registry::suggest(name.get_ref())
                .map_or(String::new(), |s| format!(" (did you mean '{s}'?)"));
            err(
                Some(name.span()),
                format!("unknown rule '{}'{hint}", name.get_ref()),
                "`samlint rules` lists every rule id and code",
            )
        })
    };
    let mut overrides = Overrides::default();
    for name in &raw.ignore {
        overrides.ignore.push(rule(name)?.id);
    }
    for (name, level) in &raw.severity {
        let meta = rule(name)?;
        let sev: Severity = level.get_ref().parse().map_err(|m: String| {
            err(
                Some(level.span()),
                m,
                "severities are error, warning and info",
            )
        })?;
        overrides.severity.push((meta.id, sev));
    }

    let trust = TrustConfig {
        idp_metadata: raw
            .trust
            .idp_metadata
            .iter()
            .map(|p| base.join(p))
            .collect(),
        idp_cert: raw.trust.idp_cert.iter().map(|p| base.join(p)).collect(),
        idp_fingerprint: raw.trust.idp_fingerprint,
        engine: raw.trust.engine,
    };
    let keys = keymap(&raw.keys, &err)?;
    Ok(Config {
        file: file.to_owned(),
        profile,
        trust,
        context: raw.context,
        limits: raw.limits,
        overrides,
        aws_paths: raw.aws.paths.iter().map(|p| base.join(p)).collect(),
        keys,
    })
}

const KEYS_HELP: &str =
    "docs/tui.md, \"Keys\", lists the command names [keys] binds and their default keys";
const CLASH_HELP: &str = "a key does one thing in each place: give one of the two commands another key (an empty list unbinds a command)";

/// `[keys]`: each command's keys replace its defaults. Unknown commands, fixed
/// (text-entry) commands, keys that do not parse and one key bound to two commands
/// that are live in one place are errors at the binding's line.
fn keymap(
    raw: &BTreeMap<Spanned<String>, Spanned<toml::Value>>,
    err: &impl Fn(Option<std::ops::Range<usize>>, String, &str) -> ConfigError,
) -> Result<Keymap, ConfigError> {
    let mut keys = Keymap::default();
    // Where each command was bound, in the file's order.
    let mut bound: Vec<(Cmd, std::ops::Range<usize>)> = Vec::new();
    let mut entries: Vec<_> = raw.iter().collect();
    entries.sort_by_key(|(name, _)| name.span().start);
    for (name, value) in entries {
        let id = name.get_ref();
        let Some(cmd) = Cmd::from_id(id) else {
            let hint =
                Cmd::suggest(id).map_or(String::new(), |s| format!(" (did you mean '{s}'?)"));
            return Err(err(
                Some(name.span()),
                format!("[keys]: unknown command '{id}'{hint}"),
                KEYS_HELP,
            ));
        };
        if cmd.fixed() {
            return Err(err(
                Some(name.span()),
                format!("[keys]: '{id}' cannot be remapped: text entry and Ctrl-C keep their keys"),
                KEYS_HELP,
            ));
        }
        let specs: Vec<&str> = match value.get_ref() {
            toml::Value::String(s) => vec![s.as_str()],
            toml::Value::Array(a) if a.iter().all(toml::Value::is_str) => {
                a.iter().filter_map(toml::Value::as_str).collect()
            }
            _ => {
                return Err(err(
                    Some(value.span()),
                    format!(
                        "[keys] {id}: expected a key (\"q\") or a list of keys ([\"q\", \"ctrl-q\"])"
                    ),
                    KEY_SYNTAX,
                ));
            }
        };
        let parsed = specs
            .iter()
            .map(|s| Key::parse(s))
            .collect::<Result<Vec<_>, _>>()
            .map_err(|m| err(Some(value.span()), format!("[keys] {id}: {m}"), KEY_SYNTAX))?;
        keys.set(cmd, parsed);
        bound.push((cmd, value.span()));
    }
    // A clash involves a command the file binds (the defaults do not clash): the
    // error points at the later of the two bindings.
    let line_of = |cmd: Cmd| {
        bound
            .iter()
            .find(|(c, _)| *c == cmd)
            .map(|(_, s)| s.clone())
    };
    let clash = keys
        .clashes()
        .into_iter()
        .filter_map(|c| {
            let at = match (line_of(c.a), line_of(c.b)) {
                (Some(a), Some(b)) => {
                    if a.start > b.start {
                        a
                    } else {
                        b
                    }
                }
                (Some(a), None) => a,
                (None, Some(b)) => b,
                (None, None) => return None,
            };
            Some((at, c))
        })
        .min_by_key(|(at, _)| at.start);
    if let Some((at, c)) = clash {
        let message = match (c.a.fixed(), c.b.fixed()) {
            (true, _) | (_, true) => {
                let (fixed, other) = if c.a.fixed() { (c.a, c.b) } else { (c.b, c.a) };
                format!(
                    "[keys] {}: {} is {}'s key in {}, which cannot be remapped",
                    other.id(),
                    c.key.spec(),
                    fixed.id(),
                    c.place
                )
            }
            _ => format!(
                "[keys]: {} is bound to both {} and {}, which are both live in {}",
                c.key.spec(),
                c.a.id(),
                c.b.id(),
                c.place
            ),
        };
        return Err(err(Some(at), message, CLASH_HELP));
    }
    Ok(keys)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_ok(text: &str) -> Config {
        parse(text, FILE_NAME, Path::new("/cfg")).unwrap_or_else(|e| panic!("{e}"))
    }

    fn parse_err(text: &str) -> ConfigError {
        parse(text, FILE_NAME, Path::new("/cfg")).unwrap_err()
    }

    #[test]
    fn full_file() {
        let c = parse_ok(
            r#"
profile = "aws-iam"
ignore = ["SL0104"]

[severity]
input-not-saml = "warning"

[trust]
idp_metadata = ["okta.xml"]
engine = "both"

[context]
saml_providers = ["arn:aws:iam::123456789012:saml-provider/Okta"]
max_session_duration = 7200

[limits]
max_depth = 64
"#,
        );
        assert_eq!(c.profile, Some(Some(Profile::AwsIam)));
        assert_eq!(c.overrides.ignore, ["response-too-large"]);
        assert_eq!(
            c.overrides.severity,
            [("input-not-saml", Severity::Warning)]
        );
        assert_eq!(c.trust.idp_metadata, [PathBuf::from("/cfg/okta.xml")]);
        assert_eq!(c.trust.engine, Some(crate::verify::Engine::Both));
        assert_eq!(c.context.max_session_duration, Some(7200));
        assert_eq!(c.limits.max_depth, 64);
        assert_eq!(c.limits.max_elements, Limits::default().max_elements);
        assert_eq!(parse_ok("profile = \"auto\"").profile, Some(None));
    }

    #[test]
    fn unknown_keys_name_the_key_and_line() {
        let e = parse_err("profile = \"aws-iam\"\n\n[context]\nsaml_provider = []\n");
        assert_eq!(e.line, Some(4));
        assert!(e.message.contains("saml_provider"), "{}", e.message);
        let e = parse_err("colour = true\n");
        assert_eq!(e.line, Some(1));
        assert!(e.message.contains("colour"), "{}", e.message);
        let e = parse_err("[limits]\nmax_dept = 3\n");
        assert_eq!(
            (e.line, e.to_string().contains("max_dept")),
            (Some(2), true)
        );
    }

    #[test]
    fn bad_values_point_at_their_line() {
        let e = parse_err("ignore = [\n  \"input-not-saml\",\n  \"no-such-rule\",\n]\n");
        assert_eq!(e.line, Some(3));
        let e = parse_err("[severity]\ninput-not-saml = \"fatal\"\n");
        assert_eq!(e.line, Some(2));
        assert!(e.message.contains("fatal"));
        let e = parse_err("[severity]\ninput-not-sam = \"info\"\n");
        assert!(
            e.message.contains("did you mean 'input-not-saml'"),
            "{}",
            e.message
        );
        let e = parse_err("profile = \"iam\"");
        assert_eq!(
            e.to_string(),
            "samlint.toml:1: profile 'iam' is not one of aws-iam, aws-identity-center, generic, auto"
        );
        let e = parse_err("[context]\nmax_session_duration = \"1h\"\n");
        assert_eq!(e.line, Some(2));
    }

    #[test]
    fn keys_replace_the_defaults() {
        let key = |s: &str| Key::parse(s).unwrap();
        let c = parse_ok(
            "[keys]\nquit = \"ctrl-q\"\npage_down = [\"pgdown\", \"ctrl-f\"]\ncopy = []\nhelp = \"F1\"\n",
        );
        assert_eq!(c.keys.keys(Cmd::Quit), [key("ctrl-q")]);
        assert_eq!(c.keys.keys(Cmd::PageDown), [key("pgdown"), key("ctrl-f")]);
        assert_eq!(c.keys.keys(Cmd::Copy), []);
        assert_eq!(c.keys.keys(Cmd::Help), [key("f1")]);
        // The others keep theirs.
        assert_eq!(c.keys.keys(Cmd::Paste), [key("p")]);
        assert_eq!(parse_ok("").keys, Keymap::default());
        // One key in two places is fine: the list's filter and the XML tab's search.
        parse_ok("[keys]\nfilter = \"s\"\nsearch = \"s\"\n");
        // So is a key a remap has freed.
        let c = parse_ok("[keys]\nquit = \"x\"\npaste = \"q\"\n");
        assert_eq!(c.keys.keys(Cmd::Paste), [key("q")]);
    }

    #[test]
    fn bad_keys_point_at_their_line() {
        let e = parse_err("profile = \"generic\"\n\n[keys]\nqiut = \"x\"\n");
        assert_eq!(
            e.to_string(),
            "samlint.toml:4: [keys]: unknown command 'qiut' (did you mean 'quit'?)"
        );
        assert!(e.help.contains("docs/tui.md"), "{}", e.help);
        let e = parse_err("[keys]\nquit = \"q\"\npage_down = [\"pgdown\", \"ctlr-d\"]\n");
        assert_eq!(
            e.to_string(),
            "samlint.toml:3: [keys] page_down: 'ctlr-d' is not a key"
        );
        assert!(e.help.contains("ctrl-"), "{}", e.help);
        let e = parse_err("[keys]\nquit = 3\n");
        assert_eq!(e.line, Some(2));
        assert!(e.message.contains("expected a key"), "{}", e.message);
        let e = parse_err("[keys]\nquit = \"shift-1\"\n");
        assert_eq!(e.line, Some(2));
        // Text entry and Ctrl-C keep their keys.
        let e = parse_err("[keys]\n\nsubmit = \"ctrl-s\"\n");
        assert_eq!(
            e.to_string(),
            "samlint.toml:3: [keys]: 'submit' cannot be remapped: text entry and Ctrl-C keep their keys"
        );
        let e = parse_err("[keys]\ncopy = [\"y\", \"ctrl-c\"]\n");
        assert_eq!(
            e.to_string(),
            "samlint.toml:2: [keys] copy: ctrl-c is interrupt's key in the payload list, which cannot be remapped"
        );
    }

    #[test]
    fn one_key_for_two_live_commands_is_an_error() {
        // Against a default: `q` still quits.
        let e = parse_err("[keys]\nhelp = \"q\"\n");
        assert_eq!(
            e.to_string(),
            "samlint.toml:2: [keys]: q is bound to both quit and help, which are both live in the payload list"
        );
        assert!(e.help.contains("another key"), "{}", e.help);
        // Between two bindings: the later line.
        let e = parse_err("[keys]\nsearch = \"s\"\nnext_match = [\"n\", \"s\"]\n");
        assert_eq!(e.line, Some(3));
        assert!(
            e.message
                .contains("s is bound to both search and next_match")
                && e.message.contains("the XML tab"),
            "{}",
            e.message
        );
        let e = parse_err("[keys]\nnext_match = [\"n\", \"s\"]\nsearch = \"s\"\n");
        assert_eq!(e.line, Some(3));
        // A panel's key against a global one, where both work.
        let e = parse_err("[keys]\nfold = \"c\"\n");
        assert!(
            e.message.contains("clock and fold") && e.message.contains("the XML tab"),
            "{}",
            e.message
        );
    }

    #[test]
    fn discovery_goes_upward() {
        let dir = tempfile::tempdir().unwrap();
        let deep = dir.path().join("a/b");
        std::fs::create_dir_all(&deep).unwrap();
        std::fs::write(dir.path().join(FILE_NAME), "profile = \"generic\"\n").unwrap();
        let c = load(None, &deep).unwrap().unwrap();
        assert_eq!(c.file, "../../samlint.toml");
        assert_eq!(c.profile, Some(Some(Profile::Generic)));
        let c = load(None, dir.path()).unwrap().unwrap();
        assert_eq!(c.file, "samlint.toml");
    }
}
