//! stub
use crate::{Limits, Meta, Report};

pub(crate) fn run(text: &str, _limits: &Limits) -> Report {
    let _ = crate::text::split_lines(text);
    Report { title: None, meta: Meta::default(), blocks: vec![], claims: vec![], traces: vec![], patches: vec![], class: None, inputs: vec![], truncated: false }
}
