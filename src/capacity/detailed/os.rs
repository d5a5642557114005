//! The guest OS check: is a server's operating system a 64-bit guest the era's support list names?

#[derive(Debug, Clone, PartialEq)]
pub(super) enum OsVerdict {
    NotChecked,
    Supported { version_checked: bool },
    Unsupported(String),
}

impl OsVerdict {
    /// The verdict as [`ServerRow::os_support`] gives it.
    pub(super) fn label(&self) -> &'static str {
        match self {
            OsVerdict::NotChecked => "unknown",
            OsVerdict::Supported { version_checked: true } => "supported",
            OsVerdict::Supported { version_checked: false } => "version-unknown",
            OsVerdict::Unsupported(_) => "unsupported",
        }
    }
}

/// Azure Migrate's OS architecture values for a 32-bit guest ("x86", "32-bit"; anchors.md §3.1).
pub(super) fn is_32_bit_architecture(text: &str) -> bool {
    matches!(crate::rules::normalize_key(text).as_str(), "x86" | "32bit" | "32" | "i386" | "i686")
}

#[derive(Debug, Clone, PartialEq)]
pub(super) struct OsCheck {
    pub(super) bits32: bool,
    pub(super) windows_server_2008: bool,
    pub(super) verdict: OsVerdict,
}

/// Words of an OS name, lower case, architecture markers removed.
pub(super) fn os_words(text: &str) -> Vec<String> {
    let mut lower = text.to_lowercase();
    for marker in ["64-bit", "64 bit", "32-bit", "32 bit", "x86_64", "x86-64", "x64", "x86", "amd64", "i386", "i686"] {
        lower = lower.replace(marker, " ");
    }
    lower
        .split(|c: char| !(c.is_alphanumeric() || c == '.' || c == '-'))
        .map(|w| w.trim_matches(|c| c == '.' || c == '-').to_string())
        .filter(|w| !w.is_empty())
        .collect()
}

/// The family key of a list entry or an OS name: its first word, `windows server` for server editions.
pub(super) fn family_key(words: &[String]) -> Option<(String, usize)> {
    const KEYS: &[&str] = &["windows", "red", "rhel", "centos", "ubuntu", "debian", "suse", "sles", "oracle"];
    let position = words.iter().position(|w| KEYS.contains(&w.as_str()))?;
    let key = match words[position].as_str() {
        "rhel" => "red",
        "sles" => "suse",
        other => other,
    };
    if key == "windows" && words.get(position + 1).is_some_and(|w| w == "server") {
        return Some(("windows server".to_string(), position + 2));
    }
    Some((key.to_string(), position + 1))
}

/// A version: major and minor (`7.x` as an upper bound is 7.any).
pub(super) fn version(text: &str, upper: bool) -> Option<(u32, u32)> {
    let mut parts = text.split('.');
    let major = parts.next()?.parse().ok()?;
    let minor = match parts.next() {
        Some(minor) => minor.parse().unwrap_or(if upper { u32::MAX } else { 0 }),
        None => {
            if upper {
                u32::MAX
            } else {
                0
            }
        }
    };
    Some((major, minor))
}

/// An entry's version range: `2012`, `5.2-7.x`, `11 SP3-15 SP4`, `14.04-22.04 LTS` (service packs, `R2` and
/// `LTS` are not compared).
/// A version range, low and high, as (major, minor).
pub(super) type VersionRange = ((u32, u32), (u32, u32));

pub(super) fn entry_range(words: &[String]) -> Option<VersionRange> {
    let first = words.iter().position(|w| w.starts_with(|c: char| c.is_ascii_digit()))?;
    let spec = words[first..].join(" ");
    let mut kept = String::new();
    let mut rest = spec.as_str();
    // Drop `spN`, `r2` and `lts`, then every space: "11 sp3-15 sp4" → "11-15", "2008 r2 sp1" → "2008".
    while let Some(c) = rest.chars().next() {
        let after_word_start = kept.is_empty() || kept.ends_with([' ', '-']);
        if after_word_start && rest.starts_with("sp") && rest[2..].starts_with(|d: char| d.is_ascii_digit()) {
            rest = rest[2..].trim_start_matches(|d: char| d.is_ascii_digit());
            continue;
        }
        if after_word_start && (rest.starts_with("r2") || rest.starts_with("lts")) {
            rest = &rest[if rest.starts_with("r2") { 2 } else { 3 }..];
            continue;
        }
        kept.push(c);
        rest = &rest[c.len_utf8()..];
    }
    let spec: String = kept.chars().filter(|c| !c.is_whitespace()).collect();
    let (low, high) = match spec.split_once('-') {
        Some((low, high)) => (low.to_string(), high.to_string()),
        None => (spec.clone(), spec.clone()),
    };
    Some((version(&low, false)?, version(&high, true)?))
}

/// One entry of the era's supported OS list, parsed once: the entry, its family key and its version range.
pub(super) struct SupportedOs {
    pub(super) entry: String,
    pub(super) key: String,
    pub(super) range: Option<VersionRange>,
}

pub(super) fn parse_supported(supported: &[String]) -> Vec<SupportedOs> {
    supported
        .iter()
        .filter_map(|entry| {
            let entry_words = os_words(entry);
            let (key, after) = family_key(&entry_words)?;
            Some(SupportedOs { entry: entry.clone(), key, range: entry_range(&entry_words[after..]) })
        })
        .collect()
}

#[cfg(test)]
pub(super) fn check_os(os: &str, supported: &[String]) -> OsCheck {
    check_os_against(os, &parse_supported(supported))
}

pub(super) fn check_os_against(os: &str, supported: &[SupportedOs]) -> OsCheck {
    let lower = os.to_lowercase();
    let bits32 = ["32-bit", "32 bit", "(32", "i386", "i686"].iter().any(|m| lower.contains(m))
        || (lower.contains("x86") && !lower.contains("x86_64") && !lower.contains("x86-64"));
    let words = os_words(os);
    let family = family_key(&words);
    let os_version = family.as_ref().and_then(|(_, after)| {
        words[*after..].iter().find(|w| w.starts_with(|c: char| c.is_ascii_digit())).and_then(|w| version(w, false))
    });
    let windows_server_2008 = family.as_ref().is_some_and(|(key, _)| key == "windows server")
        && os_version.is_some_and(|(major, _)| major == 2008);
    let verdict = match &family {
        None if words.is_empty() || words.iter().any(|w| w == "other" || w == "unknown") => OsVerdict::NotChecked,
        None => OsVerdict::Unsupported("no family of the supported list".to_string()),
        Some((key, _)) => {
            let entries: Vec<(&str, Option<VersionRange>)> =
                supported.iter().filter(|s| s.key == *key).map(|s| (s.entry.as_str(), s.range)).collect();
            if entries.is_empty() {
                OsVerdict::Unsupported("its family is not in the supported list".to_string())
            } else {
                match os_version {
                    None => OsVerdict::Supported { version_checked: false },
                    Some(v) => {
                        let inside = entries.iter().any(|(_, range)| match range {
                            Some((low, high)) if low.1 == 0 && high.1 == u32::MAX && low.0 == high.0 => v.0 == low.0,
                            Some((low, high)) => *low <= v && v <= *high,
                            None => true,
                        });
                        if inside {
                            OsVerdict::Supported { version_checked: true }
                        } else {
                            let listed: Vec<&str> = entries.iter().map(|(e, _)| *e).collect();
                            OsVerdict::Unsupported(format!("the supported versions are {}", listed.join(", ")))
                        }
                    }
                }
            }
        }
    };
    OsCheck { bits32, windows_server_2008, verdict }
}
