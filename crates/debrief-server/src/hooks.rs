//! Incidents from the alerting: `[hooks]` of `debrief.toml` says how Alertmanager's and
//! PagerDuty's webhooks prove their sender, and the zone the drafts they open are written in.
//!
//! ```toml
//! [hooks]
//! alertmanager_token_env = "DEBRIEF_ALERTMANAGER_TOKEN" # sent as `Authorization: Bearer …`
//! pagerduty_secret_env = "DEBRIEF_PAGERDUTY_SECRET"     # the subscription's signing secret
//! timezone = "Europe/Oslo"                              # drafts' timelines; UTC by default
//! ```
//! Alertmanager signs nothing: its receiver sends a bearer token (`http_config:
//! authorization: credentials_file: …`), compared in constant time. PagerDuty signs every
//! delivery with the subscription's secret (`X-PagerDuty-Signature`). A hook whose variable
//! is unset refuses every delivery. Credentials stay in environment variables, never in the
//! file or the database. What a delivery does is [`crate::store::Store::deliver`]'s.

use crate::config::ConfigError;
use jiff::tz::TimeZone;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::sync::Arc;
use subtle::ConstantTimeEq;
use toml::Spanned;

/// `[hooks]`: the alerting's webhooks.
#[derive(Debug, Clone, Default)]
pub struct HooksConfig {
    /// The variable holding the token Alertmanager sends; without one, its deliveries are
    /// refused.
    pub alertmanager_token_env: Option<String>,
    /// The variable holding PagerDuty's signing secret; without one, its deliveries are
    /// refused.
    pub pagerduty_secret_env: Option<String>,
    /// The zone a draft's timeline is written in, as written in `debrief.toml`.
    pub timezone: Option<String>,
    /// Where the variables are read from: the process's environment, unless a program that
    /// embeds debrief (or a test) gives its own ([`HooksConfig::with_environment`]).
    environment: Option<Arc<BTreeMap<String, String>>>,
}

#[derive(Deserialize)]
struct File {
    hooks: Option<Table>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Table {
    alertmanager_token_env: Option<String>,
    pagerduty_secret_env: Option<String>,
    timezone: Option<Spanned<String>>,
}

impl HooksConfig {
    /// Parses `[hooks]` of `debrief.toml`; other tables are left alone.
    pub fn from_toml(text: &str) -> Result<HooksConfig, ConfigError> {
        let file: File = crate::config::parse(text)?;
        let Some(table) = file.hooks else {
            return Ok(HooksConfig::default());
        };
        if let Some(zone) = &table.timezone
            && debrief_core::zone::parse_zone(zone.get_ref()).is_none()
        {
            return Err(ConfigError::at(
                text,
                zone.span().start,
                format!(
                    "[hooks]: timezone {:?} is not a time zone debrief knows (an IANA name such as \"Europe/Oslo\", an abbreviation such as \"PST\", or an offset such as \"+02:00\")",
                    zone.get_ref()
                ),
            ));
        }
        Ok(HooksConfig {
            alertmanager_token_env: table.alertmanager_token_env,
            pagerduty_secret_env: table.pagerduty_secret_env,
            timezone: table.timezone.map(Spanned::into_inner),
            environment: None,
        })
    }

    /// The same, reading variables from `environment` instead of the process's.
    pub fn with_environment(self, environment: BTreeMap<String, String>) -> HooksConfig {
        HooksConfig {
            environment: Some(Arc::new(environment)),
            ..self
        }
    }

    /// The zone drafts are written in.
    pub fn zone(&self) -> TimeZone {
        self.timezone
            .as_deref()
            .and_then(debrief_core::zone::parse_zone)
            .unwrap_or(TimeZone::UTC)
    }

    /// PagerDuty's signing secret, read now, if set.
    pub fn pagerduty_secret(&self) -> Option<String> {
        self.variable(self.pagerduty_secret_env.as_deref()?)
    }

    /// Whether `authorization` (the whole header) carries Alertmanager's token; compared in
    /// constant time. False while no token is set.
    pub fn alertmanager_allows(&self, authorization: &str) -> bool {
        let Some(token) = self
            .alertmanager_token_env
            .as_deref()
            .and_then(|name| self.variable(name))
        else {
            return false;
        };
        let Some((scheme, given)) = authorization.trim().split_once(' ') else {
            return false;
        };
        scheme.eq_ignore_ascii_case("bearer")
            && bool::from(given.trim().as_bytes().ct_eq(token.as_bytes()))
    }

    /// A variable's value, trimmed; unset or empty is `None`.
    fn variable(&self, name: &str) -> Option<String> {
        let value = match &self.environment {
            Some(environment) => environment.get(name).cloned(),
            None => std::env::var(name).ok(),
        }?;
        let value = value.trim();
        (!value.is_empty()).then(|| value.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_hooks_table_and_checks_the_zone() {
        let config = HooksConfig::from_toml(
            "[server]\nlisten = \"x\"\n\n[hooks]\nalertmanager_token_env = \"AM\"\npagerduty_secret_env = \"PD\"\ntimezone = \"Europe/Oslo\"\n",
        )
        .expect("valid")
        .with_environment(BTreeMap::from([
            ("AM".to_string(), " s3cret \n".to_string()),
            ("PD".to_string(), "pd".to_string()),
        ]));
        assert!(config.alertmanager_allows("Bearer s3cret"));
        assert!(config.alertmanager_allows("bearer  s3cret "));
        assert!(!config.alertmanager_allows("Bearer s3cre"));
        assert!(!config.alertmanager_allows("Basic s3cret"));
        assert!(!config.alertmanager_allows("s3cret"));
        assert_eq!(config.pagerduty_secret().as_deref(), Some("pd"));
        assert_eq!(config.zone().iana_name(), Some("Europe/Oslo"));

        let error = HooksConfig::from_toml("[hooks]\ntimezone = \"Mars/Olympus\"\n")
            .expect_err("unknown zone");
        assert_eq!((error.line, error.column), (2, 12), "{error}");
        let error =
            HooksConfig::from_toml("[hooks]\nalertmanager_token = \"x\"\n").expect_err("unknown");
        assert_eq!(error.line, 2, "{error}");
    }

    #[test]
    fn without_its_variable_a_hook_refuses_everything() {
        let config = HooksConfig::from_toml("[hooks]\nalertmanager_token_env = \"AM\"\n")
            .expect("valid")
            .with_environment(BTreeMap::from([("AM".to_string(), "  ".to_string())]));
        assert!(!config.alertmanager_allows("Bearer "));
        assert!(!config.alertmanager_allows("Bearer  "));
        assert_eq!(config.pagerduty_secret(), None);
        assert!(!HooksConfig::default().alertmanager_allows("Bearer x"));
        assert_eq!(HooksConfig::default().zone(), TimeZone::UTC);
    }
}
