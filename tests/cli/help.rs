use crate::common::cli;

#[test]
fn check_help() {
    let r = cli(&["check", "--help"]).run();
    assert_eq!(r.code, 0);
    insta::assert_snapshot!(r.stdout);
}

#[test]
fn top_level_help_lists_the_commands() {
    let r = cli(&["--help"]).run();
    for cmd in [
        "check", "decode", "rules", "explain", "metadata", "okta-map", "inspect",
    ] {
        assert!(r.stdout.contains(cmd), "{cmd}");
    }
}
