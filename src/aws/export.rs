//! Reads what an AWS account holds from the unmodified JSON of the AWS CLI and
//! Terraform, recognised by content (not by file name), once per run.

use std::collections::{BTreeSet, HashMap};
use std::io::Read as _;
use std::path::{Path, PathBuf};

use serde_json::Value;

use super::cloudtrail::{self, Event};
use super::policy::Policy;
use crate::verify::TrustStore;

/// What an export file was recognised as.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    ListRoles,
    GetRole,
    AccountAuthorizationDetails,
    ListSamlProviders,
    GetSamlProvider,
    IdentityStoreUsers,
    TerraformState,
    TerraformPlan,
    #[serde(rename = "cloudtrail")]
    CloudTrail,
}

impl Kind {
    /// The name JSON gives it (`list-roles`).
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::ListRoles => "list-roles",
            Kind::GetRole => "get-role",
            Kind::AccountAuthorizationDetails => "account-authorization-details",
            Kind::ListSamlProviders => "list-saml-providers",
            Kind::GetSamlProvider => "get-saml-provider",
            Kind::IdentityStoreUsers => "identity-store-users",
            Kind::TerraformState => "terraform-state",
            Kind::TerraformPlan => "terraform-plan",
            Kind::CloudTrail => "cloudtrail",
        }
    }

    pub fn describe(self) -> &'static str {
        match self {
            Kind::ListRoles => "aws iam list-roles",
            Kind::GetRole => "aws iam get-role",
            Kind::AccountAuthorizationDetails => "aws iam get-account-authorization-details",
            Kind::ListSamlProviders => "aws iam list-saml-providers",
            Kind::GetSamlProvider => "aws iam get-saml-provider",
            Kind::IdentityStoreUsers => "aws identitystore list-users",
            Kind::TerraformState => "terraform show -json (state)",
            Kind::TerraformPlan => "terraform show -json (plan)",
            Kind::CloudTrail => "CloudTrail events",
        }
    }
}

/// One file read.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Source {
    pub file: String,
    pub kind: Kind,
}

/// A role as the export holds it.
#[derive(Debug, Clone)]
pub struct Role {
    pub arn: String,
    /// `None` when the export has no MaxSessionDuration for it.
    pub max_session_duration: Option<u64>,
    /// The trust policy, when the export has one: see [`Role::trust`]. Roles whose
    /// policies have the same text share one, read once and decided once per payload.
    pub trust_policy: Option<std::sync::Arc<TrustPolicy>>,
    pub source: String,
}

impl Role {
    /// The trust policy; `Err` when it cannot be read (message), `None` when absent.
    pub fn trust(&self) -> Option<Result<&Policy, String>> {
        let read = match self.trust_policy.as_deref()? {
            TrustPolicy::Read(p) => p,
            TrustPolicy::Deferred { json, read } => read.get_or_init(|| {
                serde_json::from_str::<Value>(json.get())
                    .map_err(|e| format!("not JSON: {e}"))
                    .and_then(|v| policy_document(&v))
            }),
        };
        Some(read.as_ref().map_err(|e| trust_unreadable(&self.arn, e)))
    }
}

/// A role's trust policy: read with the rest of the export, or kept as its JSON
/// text and read the first time a pair asks for it. A role list is mostly trust
/// policies, and a batch names few of its roles: building every policy's JSON tree
/// was most of the time spent reading a list of 500 roles.
#[derive(Debug, Clone)]
pub enum TrustPolicy {
    Read(Result<Policy, String>),
    Deferred {
        json: Box<serde_json::value::RawValue>,
        read: std::sync::OnceLock<Result<Policy, String>>,
    },
}

fn trust_unreadable(arn: &str, e: &str) -> String {
    format!("the trust policy of {arn} cannot be read: {e}")
}

/// A SAML provider's metadata as IAM holds it.
#[derive(Debug, Clone)]
pub struct Metadata {
    pub entity_ids: Vec<String>,
    /// SHA-256 of each signing certificate (DER).
    pub certs: Vec<[u8; 32]>,
    /// The same as the report shows them (`SHA256:hex`), computed once.
    pub cert_keys: Vec<String>,
    pub text: String,
    pub source: String,
}

/// Everything read from the `--aws` paths.
#[derive(Debug, Clone, Default)]
pub struct Account {
    /// Shared by every payload's report, which lists them.
    pub sources: std::sync::Arc<Vec<Source>>,
    /// One line per file that could not be used.
    pub errors: Vec<String>,
    /// Roles by exact ARN.
    pub roles: HashMap<String, Role>,
    /// Lowercase ARN to exact ARN, for "differs only in case".
    pub roles_folded: HashMap<String, String>,
    /// Accounts whose whole role list is in the export (list-roles,
    /// get-account-authorization-details).
    pub role_accounts: BTreeSet<String>,
    /// Provider ARNs that exist (listed, fetched, or in Terraform).
    pub providers: BTreeSet<String>,
    /// Accounts whose whole provider list is in the export (list-saml-providers).
    pub provider_accounts: BTreeSet<String>,
    /// Metadata by provider ARN.
    pub metadata: HashMap<String, Metadata>,
    /// get-saml-provider outputs named only by provider name (the file name).
    pub metadata_by_name: HashMap<String, Metadata>,
    pub ic_users: Vec<String>,
    pub events: Vec<Event>,
    /// Role and provider ARNs a Terraform plan sets: what is planned wins over the
    /// current state, whatever the order of the files.
    planned: std::collections::HashSet<String>,
}

/// `arn:partition:iam::ACCOUNT:...` → ACCOUNT.
pub(crate) fn arn_account(arn: &str) -> Option<&str> {
    // The fifth field: between the fourth colon and the fifth (or the end). A byte
    // scan: this runs several times per Role pair.
    let mut colons = memchr::memchr_iter(b':', arn.as_bytes());
    let start = colons.nth(3)? + 1;
    let end = colons.next().unwrap_or(arn.len());
    arn.get(start..end).filter(|a| !a.is_empty())
}

/// The name after the last `:saml-provider/`, or the whole value without one. A byte
/// scan rather than `rsplit_once`, which sets up a substring searcher per call: this
/// runs several times per Role pair (`scripts/bench-aws`, callgrind).
pub(crate) fn provider_name(arn: &str) -> &str {
    const MARK: &str = ":saml-provider/";
    memchr::memrchr_iter(b':', arn.as_bytes())
        .find(|&i| arn.get(i..).is_some_and(|rest| rest.starts_with(MARK)))
        .and_then(|i| arn.get(i + MARK.len()..))
        .unwrap_or(arn)
}

impl Account {
    /// Reads every path (a file, or a directory of `.json` / `.json.gz` files, read
    /// recursively in name order). A file that cannot be used is one line in
    /// `errors`; the rest is still read.
    pub fn load(paths: &[PathBuf]) -> Account {
        let mut acct = Account::default();
        acct.load_more(paths);
        acct
    }

    /// Reads more paths into the account (CloudTrail files given as inputs).
    pub fn load_more(&mut self, paths: &[PathBuf]) {
        for p in paths {
            self.load_path(p);
        }
        self.finish();
    }

    fn load_path(&mut self, path: &Path) {
        if path.is_dir() {
            let mut entries: Vec<PathBuf> = match std::fs::read_dir(path) {
                Ok(rd) => rd.filter_map(Result::ok).map(|e| e.path()).collect(),
                Err(e) => {
                    self.errors.push(format!("{}: {e}", path.display()));
                    return;
                }
            };
            entries.sort();
            for e in entries {
                if e.is_dir() || is_json(&e) {
                    self.load_path(&e);
                }
            }
            return;
        }
        let file = path.display().to_string();
        let added = read_bytes(path).and_then(|bytes| {
            if let Some(added) = self.add_role_list(&bytes, &file) {
                return added;
            }
            let value: Value =
                serde_json::from_slice(&bytes).map_err(|e| format!("not JSON: {e}"))?;
            self.add(&value, path, &file)
        });
        match added {
            Ok(kind) => std::sync::Arc::make_mut(&mut self.sources).push(Source { file, kind }),
            Err(e) => self.errors.push(format!("{file}: {e}")),
        }
    }

    /// Adds one parsed document; says what it was.
    ///
    /// # Errors
    /// The document is not one of the recognised exports, or is one with a bad part.
    pub fn add(&mut self, v: &Value, path: &Path, file: &str) -> Result<Kind, String> {
        if let Some(roles) = v.get("Roles").and_then(Value::as_array) {
            for r in roles {
                self.add_iam_role(r, file, true)?;
            }
            return Ok(Kind::ListRoles);
        }
        if let Some(r) = v.get("Role").filter(|r| r.is_object()) {
            self.add_iam_role(r, file, false)?;
            return Ok(Kind::GetRole);
        }
        if let Some(roles) = v.get("RoleDetailList").and_then(Value::as_array) {
            for r in roles {
                self.add_iam_role(r, file, true)?;
            }
            return Ok(Kind::AccountAuthorizationDetails);
        }
        if let Some(list) = v.get("SAMLProviderList").and_then(Value::as_array) {
            for p in list {
                let arn = p
                    .get("Arn")
                    .and_then(Value::as_str)
                    .ok_or("a SAMLProviderList entry has no Arn")?;
                if let Some(a) = arn_account(arn) {
                    self.provider_accounts.insert(a.to_owned());
                }
                self.providers.insert(arn.to_owned());
            }
            return Ok(Kind::ListSamlProviders);
        }
        if let Some(doc) = v.get("SAMLMetadataDocument").and_then(Value::as_str) {
            let meta = metadata(doc, file)?;
            let arn = v
                .get("Arn")
                .or_else(|| v.get("SAMLProviderArn"))
                .and_then(Value::as_str);
            if let Some(arn) = arn {
                self.providers.insert(arn.to_owned());
                if !self.planned.contains(arn) {
                    self.metadata.insert(arn.to_owned(), meta);
                }
            } else {
                self.metadata_by_name.insert(file_stem(path), meta);
            }
            return Ok(Kind::GetSamlProvider);
        }
        if let Some(users) = v.get("Users").and_then(Value::as_array)
            && users.iter().all(|u| u.get("IdentityStoreId").is_some())
        {
            self.ic_users.extend(
                users
                    .iter()
                    .filter_map(|u| u.get("UserName").and_then(Value::as_str))
                    .map(str::to_owned),
            );
            return Ok(Kind::IdentityStoreUsers);
        }
        if v.get("format_version").is_some() {
            return self.add_terraform(v, file);
        }
        if let Some(events) = cloudtrail::events(v) {
            self.events.extend(events?);
            return Ok(Kind::CloudTrail);
        }
        Err("not a recognised export (aws iam list-roles, get-role, get-account-authorization-details, list-saml-providers, get-saml-provider, aws identitystore list-users, terraform show -json, CloudTrail)".to_owned())
    }

    fn add_iam_role(&mut self, r: &Value, file: &str, authoritative: bool) -> Result<(), String> {
        let arn = r
            .get("Arn")
            .and_then(Value::as_str)
            .ok_or("a role has no Arn")?;
        if authoritative && let Some(a) = arn_account(arn) {
            self.role_accounts.insert(a.to_owned());
        }
        let trust = r
            .get("AssumeRolePolicyDocument")
            .map(|d| std::sync::Arc::new(TrustPolicy::Read(policy_document(d))));
        let max = r.get("MaxSessionDuration").and_then(Value::as_u64);
        self.insert_role(
            Role {
                arn: arn.to_owned(),
                max_session_duration: max,
                trust_policy: trust,
                source: file.to_owned(),
            },
            false,
        );
        Ok(())
    }

    /// [`add`](Self::add) for the large role lists (`list-roles`,
    /// `get-account-authorization-details`) without a JSON tree of the whole file:
    /// each role's three fields are read and its trust policy kept as text.
    /// `None` when the file is not such a list (or not one this reads the same way
    /// as `add`); the caller then reads it as any other file.
    fn add_role_list(&mut self, bytes: &[u8], file: &str) -> Option<Result<Kind, String>> {
        use serde_json::value::RawValue;

        #[derive(serde::Deserialize)]
        struct Lists<'a> {
            #[serde(rename = "Roles", borrow)]
            roles: Option<Vec<ListedRole<'a>>>,
            #[serde(rename = "Role", borrow)]
            role: Option<&'a RawValue>,
            #[serde(rename = "RoleDetailList", borrow)]
            details: Option<Vec<ListedRole<'a>>>,
        }
        #[derive(serde::Deserialize)]
        struct ListedRole<'a> {
            #[serde(rename = "Arn")]
            arn: Option<Value>,
            #[serde(rename = "MaxSessionDuration")]
            max: Option<Value>,
            /// `null` included, which `Option` alone would read as absent.
            #[serde(
                rename = "AssumeRolePolicyDocument",
                default,
                borrow,
                deserialize_with = "present"
            )]
            trust: Option<&'a RawValue>,
        }
        fn present<'de: 'a, 'a, D: serde::Deserializer<'de>>(
            d: D,
        ) -> Result<Option<&'a RawValue>, D::Error> {
            serde::Deserialize::deserialize(d).map(Some)
        }

        let mentions = |key: &[u8]| memchr::memmem::find(bytes, key).is_some();
        if !mentions(b"\"Roles\"") && !mentions(b"\"RoleDetailList\"") {
            return None;
        }
        // Anything unusual (a duplicate key, a field of another type) is left to
        // the general reader, which decides it as it always has.
        let lists: Lists<'_> = serde_json::from_slice(bytes).ok()?;
        let (roles, kind) = match lists {
            Lists {
                roles: Some(roles), ..
            } => (roles, Kind::ListRoles),
            Lists {
                role: None,
                details: Some(roles),
                ..
            } => (roles, Kind::AccountAuthorizationDetails),
            _ => return None,
        };
        // Roles of one IdP usually carry the same trust policy, word for word.
        let mut shared: HashMap<&str, std::sync::Arc<TrustPolicy>> = HashMap::new();
        for r in roles {
            let Some(arn) = r.arn.as_ref().and_then(Value::as_str) else {
                return Some(Err("a role has no Arn".to_owned()));
            };
            if let Some(a) = arn_account(arn) {
                self.role_accounts.insert(a.to_owned());
            }
            // `null` is a value the general reader reads (and refuses) at once.
            let trust_policy = r.trust.map(|json| match json.get() {
                "null" => std::sync::Arc::new(TrustPolicy::Read(Err(
                    "neither an object nor a string".to_owned(),
                ))),
                text => std::sync::Arc::clone(shared.entry(text).or_insert_with(|| {
                    std::sync::Arc::new(TrustPolicy::Deferred {
                        json: json.to_owned(),
                        read: std::sync::OnceLock::new(),
                    })
                })),
            });
            self.insert_role(
                Role {
                    arn: arn.to_owned(),
                    max_session_duration: r.max.as_ref().and_then(Value::as_u64),
                    trust_policy,
                    source: file.to_owned(),
                },
                false,
            );
        }
        Some(Ok(kind))
    }

    fn insert_role(&mut self, role: Role, planned: bool) {
        self.roles_folded
            .insert(role.arn.to_ascii_lowercase(), role.arn.clone());
        if planned {
            self.planned.insert(role.arn.clone());
            self.roles.insert(role.arn.clone(), role);
            return;
        }
        // The first file that names a role with a trust policy wins; a later one
        // fills what it lacks.
        match self.roles.get_mut(&role.arn) {
            Some(_) if self.planned.contains(&role.arn) => {}
            Some(old) => {
                if old.trust_policy.is_none() {
                    old.trust_policy = role.trust_policy;
                }
                old.max_session_duration = old.max_session_duration.or(role.max_session_duration);
            }
            None => {
                self.roles.insert(role.arn.clone(), role);
            }
        }
    }

    fn add_terraform(&mut self, v: &Value, file: &str) -> Result<Kind, String> {
        let (root, kind) = if let Some(p) = v.get("planned_values") {
            (p.get("root_module"), Kind::TerraformPlan)
        } else if let Some(s) = v.get("values") {
            (s.get("root_module"), Kind::TerraformState)
        } else {
            return Err("a Terraform document with neither values nor planned_values".to_owned());
        };
        let mut resources = Vec::new();
        if let Some(root) = root {
            collect_modules(root, &mut resources);
        }
        // A role planned for creation has no ARN yet: it is made from the account the
        // plan's other ARNs name.
        let accounts: BTreeSet<&str> = resources
            .iter()
            .filter_map(|r| r.get("values")?.get("arn")?.as_str())
            .filter_map(arn_account)
            .collect();
        let account = (accounts.len() == 1)
            .then(|| accounts.first().map(|a| (*a).to_owned()))
            .flatten();
        for r in resources {
            let Some(values) = r.get("values") else {
                continue;
            };
            match r.get("type").and_then(Value::as_str) {
                Some("aws_iam_role") => {
                    let name = values.get("name").and_then(Value::as_str);
                    let path = values.get("path").and_then(Value::as_str).unwrap_or("/");
                    let arn = terraform_arn(values, account.as_deref(), &format!("role{path}"));
                    let Some(arn) = arn else {
                        self.errors.push(format!(
                            "{file}: role {} has no ARN yet and the plan names no account",
                            name.unwrap_or("?")
                        ));
                        continue;
                    };
                    let trust = values
                        .get("assume_role_policy")
                        .map(|d| std::sync::Arc::new(TrustPolicy::Read(policy_document(d))));
                    self.insert_role(
                        Role {
                            max_session_duration: values
                                .get("max_session_duration")
                                .and_then(Value::as_u64),
                            arn,
                            trust_policy: trust,
                            source: file.to_owned(),
                        },
                        kind == Kind::TerraformPlan,
                    );
                }
                Some("aws_iam_saml_provider") => {
                    let arn = terraform_arn(values, account.as_deref(), "saml-provider/");
                    let Some(arn) = arn else { continue };
                    self.providers.insert(arn.clone());
                    if let Some(doc) = values.get("saml_metadata_document").and_then(Value::as_str)
                    {
                        let planned = kind == Kind::TerraformPlan;
                        if planned || !self.planned.contains(&arn) {
                            self.metadata.insert(arn.clone(), metadata(doc, file)?);
                        }
                        if planned {
                            self.planned.insert(arn);
                        }
                    }
                }
                _ => {}
            }
        }
        Ok(kind)
    }

    /// Pairs get-saml-provider files named by provider name with the ARNs the
    /// export lists.
    fn finish(&mut self) {
        if self.metadata_by_name.is_empty() {
            return;
        }
        let by_name: Vec<(String, String)> = self
            .providers
            .iter()
            .map(|arn| (provider_name(arn).to_owned(), arn.clone()))
            .collect();
        for (name, arn) in by_name {
            if !self.metadata.contains_key(&arn)
                && let Some(m) = self.metadata_by_name.get(&name)
            {
                self.metadata.insert(arn, m.clone());
            }
        }
    }

    /// The metadata IAM holds for a provider: by ARN, else by its name alone (a
    /// get-saml-provider file whose account the export does not say).
    pub fn metadata_for(&self, provider_arn: &str) -> Option<&Metadata> {
        self.metadata
            .get(provider_arn)
            .or_else(|| self.metadata_by_name.get(provider_name(provider_arn)))
    }

    /// Whether the provider is known to exist.
    pub fn provider_exists(&self, provider_arn: &str) -> bool {
        self.providers.contains(provider_arn) || self.metadata_for(provider_arn).is_some()
    }

    /// Every provider's metadata, to add to the trust store.
    pub fn add_trust(&self, trust: &mut TrustStore) {
        let mut seen = std::collections::HashSet::new();
        for m in self.metadata.values().chain(self.metadata_by_name.values()) {
            if seen.insert(m.text.as_str()) {
                // The text was read as metadata once already; a second reading
                // cannot fail.
                let _ = trust.add_metadata(&m.text, &m.source);
            }
        }
    }
}

fn collect_modules<'a>(module: &'a Value, out: &mut Vec<&'a Value>) {
    if let Some(rs) = module.get("resources").and_then(Value::as_array) {
        out.extend(rs);
    }
    if let Some(children) = module.get("child_modules").and_then(Value::as_array) {
        for c in children {
            collect_modules(c, out);
        }
    }
}

/// `*.json` and `*.json.gz`, any case.
fn is_json(path: &Path) -> bool {
    let plain = path.with_extension("");
    let ext = |p: &Path, want: &str| {
        p.extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| e.eq_ignore_ascii_case(want))
    };
    ext(path, "json") || (ext(path, "gz") && ext(&plain, "json"))
}

fn file_stem(path: &Path) -> String {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    name.strip_suffix(".json").unwrap_or(name).to_owned()
}

/// A policy document: an object, a JSON string, or the URL-encoded string the IAM
/// API returns.
fn policy_document(d: &Value) -> Result<Policy, String> {
    match d {
        Value::String(s) => {
            let text = if s.trim_start().starts_with('{') {
                std::borrow::Cow::Borrowed(s.as_str())
            } else {
                percent_encoding::percent_decode_str(s)
                    .decode_utf8()
                    .map_err(|_| "the URL-encoded document is not UTF-8".to_owned())?
            };
            let v: Value = serde_json::from_str(&text).map_err(|e| format!("not JSON: {e}"))?;
            Policy::parse(&v)
        }
        Value::Object(_) => Policy::parse(d),
        _ => Err("neither an object nor a string".to_owned()),
    }
}

fn metadata(doc: &str, file: &str) -> Result<Metadata, String> {
    let mut t = TrustStore::default();
    t.add_metadata(doc, file)
        .map_err(|e| format!("SAMLMetadataDocument: {e}"))?;
    Ok(Metadata {
        entity_ids: t.entity_ids,
        certs: t.certs.iter().map(|c| c.cert.sha256).collect(),
        cert_keys: t.certs.iter().map(|c| c.cert.info.sha256.clone()).collect(),
        text: doc.to_owned(),
        source: file.to_owned(),
    })
}

/// CloudTrail log files are a few MB; anything far larger is not one.
const MAX_UNZIPPED: u64 = 1 << 30;

/// Reads a file, gunzipping a CloudTrail log file.
fn read_bytes(path: &Path) -> Result<Vec<u8>, String> {
    let bytes = std::fs::read(path).map_err(|e| e.to_string())?;
    let bytes = if bytes.starts_with(&[0x1f, 0x8b]) {
        let mut out = Vec::new();
        flate2::read::GzDecoder::new(bytes.as_slice())
            .take(MAX_UNZIPPED)
            .read_to_end(&mut out)
            .map_err(|e| format!("not gzip: {e}"))?;
        out
    } else {
        bytes
    };
    Ok(bytes)
}

/// A Terraform resource's `arn`, or, for one planned for creation (no ARN yet), the
/// ARN made from the plan's account, `resource` (`role/path/`, `saml-provider/`) and
/// the resource's `name`.
fn terraform_arn(values: &Value, account: Option<&str>, resource: &str) -> Option<String> {
    if let Some(arn) = values.get("arn").and_then(Value::as_str) {
        return Some(arn.to_owned());
    }
    let name = values.get("name").and_then(Value::as_str)?;
    Some(format!("arn:aws:iam::{}:{resource}{name}", account?))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What an account holds of its roles, trust policies read.
    fn roles_of(acct: &Account) -> Vec<String> {
        let mut out: Vec<String> = acct
            .roles
            .values()
            .map(|r| format!("{} {:?} {:?}", r.arn, r.max_session_duration, r.trust()))
            .collect();
        out.sort();
        out.push(format!("{:?}", acct.role_accounts));
        out
    }

    /// The role-list reader gives what the general reader gives, file by file:
    /// policies as objects, URL-encoded strings, `null`, absent or broken; a role
    /// without an Arn; and files it leaves to the general reader.
    #[test]
    fn role_lists_read_as_the_general_reader_reads_them() {
        let policy = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Federated":"arn:aws:iam::111111111111:saml-provider/Okta"},"Action":"sts:AssumeRoleWithSAML"}]}"#;
        let encoded: String =
            percent_encoding::utf8_percent_encode(policy, percent_encoding::NON_ALPHANUMERIC)
                .to_string();
        let role = |name: &str, doc: &str| {
            format!(
                r#"{{"RoleName":"{name}","Arn":"arn:aws:iam::111111111111:role/{name}","MaxSessionDuration":7200,"Tags":[{{"Key":"a","Value":"b"}}],"AssumeRolePolicyDocument":{doc}}}"#
            )
        };
        let roles = [
            role("Object", policy),
            role("Encoded", &format!("\"{encoded}\"")),
            role("Null", "null"),
            role("Broken", "\"%7Bnot json\""),
            role("Number", "42"),
            r#"{"Arn":"arn:aws:iam::111111111111:role/NoPolicy"}"#.to_owned(),
            r#"{"Arn":"arn:aws:iam::111111111111:role/Float","MaxSessionDuration":3600.5}"#
                .to_owned(),
        ]
        .join(",");
        let files = [
            (
                format!(r#"{{"Roles":[{roles}],"IsTruncated":false}}"#),
                true,
            ),
            (
                format!(r#"{{"RoleDetailList":[{roles}],"UserDetailList":[]}}"#),
                true,
            ),
            (r#"{"Roles":[{"RoleName":"x"}]}"#.to_owned(), true),
            // Left to the general reader.
            (
                format!(r#"{{"Roles":{{}},"RoleDetailList":[{roles}]}}"#),
                false,
            ),
            (
                format!(r#"{{"Role":{},"RoleDetailList":[]}}"#, role("One", policy)),
                false,
            ),
            (format!(r#"{{"Roles":[{roles}],"Roles":[]}}"#), false),
            (r#"{"SAMLProviderList":[]}"#.to_owned(), false),
        ];
        for (text, fast) in files {
            let mut general = Account::default();
            let expected = general.add(
                &serde_json::from_str(&text).unwrap(),
                Path::new("f.json"),
                "f.json",
            );
            let mut listed = Account::default();
            let got = listed.add_role_list(text.as_bytes(), "f.json");
            assert_eq!(got.is_some(), fast, "{text}");
            if let Some(got) = got {
                assert_eq!(got, expected, "{text}");
                assert_eq!(roles_of(&listed), roles_of(&general), "{text}");
            }
        }
    }
}
