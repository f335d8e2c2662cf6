//! Duplicate search: TF-IDF cosine similarity between a report and published advisories or
//! earlier reports. Code terms (identifiers, file names) weigh more than words.

use std::collections::{HashMap, HashSet};

use serde::Serialize;
use vouch_claims::{BlockKind, ClaimKind, Report};

/// A possible duplicate.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Duplicate {
    /// `advisory` or `report`.
    pub kind: &'static str,
    pub id: String,
    pub title: String,
    /// Cosine similarity, 0-1.
    pub similarity: f64,
    /// The strongest terms both share.
    pub shared: Vec<String>,
    /// The report itself names this advisory (it may argue it is a different or incomplete fix).
    pub cited: bool,
    /// The longest passage of the advisory the report repeats word for word, when it is at least
    /// [`MIN_COPIED_WORDS`] words long.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub copied: Option<Copied>,
}

/// A passage a report repeats word for word from an advisory.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Copied {
    /// Its length in words.
    pub words: usize,
    /// The passage as the report has it (white space collapsed).
    pub text: String,
}

/// Words in a row a report must repeat from an advisory to count as copying it. Reports and
/// advisories about the same code share names and short phrases ("in this commit https github
/// com curl"); a sentence and more of an advisory's prose is what a recycled report carries.
pub const MIN_COPIED_WORDS: usize = 20;
/// Words per shingle when looking for copied passages.
const SHINGLE: usize = 8;

/// A text to compare: an advisory or a report.
#[derive(Debug, Clone)]
pub struct Document {
    pub id: String,
    pub title: String,
    pub aliases: Vec<String>,
    /// Ids the document cites (for reports: the CVE/GHSA ids it names).
    pub cites: Vec<String>,
    /// Ids the document itself was given (for reports: the CVE of its header, the advisory it
    /// became): that advisory is its outcome, not a duplicate.
    pub own: Vec<String>,
    /// `YYYY-MM-DD`: when an advisory was published, when a report was written.
    pub date: Option<String>,
    terms: HashMap<String, f64>,
    /// The title and text, whose words `words` are.
    source: String,
    /// The text's words, lower-cased and hashed, for passages repeated word for word.
    words: Vec<u64>,
    /// Where each word is in `source` (byte range).
    spans: Vec<(usize, usize)>,
    /// The key of each run of [`SHINGLE`] words, by where it starts (filled for the advisories of
    /// a corpus, which are searched for the runs a report repeats).
    shingles: Vec<u64>,
}

const STOP: &[&str] = &[
    "this",
    "that",
    "with",
    "from",
    "have",
    "when",
    "which",
    "there",
    "their",
    "will",
    "would",
    "could",
    "should",
    "does",
    "into",
    "than",
    "then",
    "them",
    "they",
    "been",
    "being",
    "also",
    "only",
    "such",
    "some",
    "more",
    "most",
    "other",
    "were",
    "what",
    "where",
    "while",
    "about",
    "after",
    "before",
    "because",
    "these",
    "those",
    "each",
    "over",
    "under",
    "here",
    "just",
    "like",
    "very",
    "your",
    "must",
    "can't",
    "cannot",
    "doesn't",
    "isn't",
    "used",
    "using",
    "uses",
    "value",
    "code",
    "file",
    "function",
    "issue",
    "report",
    "vulnerability",
    "version",
    "versions",
    "affected",
    "attacker",
    "allows",
    "allow",
    "following",
    "example",
    "step",
    "steps",
    "reproduce",
    "summary",
    "impact",
    "details",
    "note",
    "need",
    "make",
    "makes",
    "data",
    "case",
    "same",
    "even",
    "still",
    "without",
    "within",
    "between",
    "both",
];

fn is_code_term(t: &str) -> bool {
    t.contains('_') || t.contains('.') || t.chars().skip(1).any(|c| c.is_ascii_uppercase()) && t.chars().any(|c| c.is_ascii_lowercase())
}

/// The words of a text, lower-cased and hashed (runs of letters, digits and `_`), and where
/// each is.
fn words_of(text: &str) -> (Vec<u64>, Vec<(usize, usize)>) {
    let mut words = Vec::new();
    let mut spans = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices().chain(std::iter::once((text.len(), ' '))) {
        match (c.is_alphanumeric() || c == '_', start) {
            (true, None) => start = Some(i),
            (false, Some(b)) => {
                words.push(key_of(&text[b..i].to_lowercase()));
                spans.push((b, i));
                start = None;
            }
            _ => {}
        }
    }
    (words, spans)
}

fn key_of<T: std::hash::Hash + ?Sized>(t: &T) -> u64 {
    use std::hash::Hasher;
    let mut h = std::collections::hash_map::DefaultHasher::new();
    t.hash(&mut h);
    h.finish()
}

/// The keys of a text's runs of [`SHINGLE`] words, by where each starts.
fn shingles_of(words: &[u64]) -> Vec<u64> {
    words.windows(SHINGLE).map(key_of).collect()
}

/// Where each run of [`SHINGLE`] words of a report starts, by key: built once per report, then
/// looked up with each advisory's runs.
struct Runs<'a> {
    words: &'a [u64],
    at: HashMap<u64, Vec<u32>>,
}

impl<'a> Runs<'a> {
    fn of(doc: &'a Document) -> Runs<'a> {
        let mut at: HashMap<u64, Vec<u32>> = HashMap::new();
        for (i, k) in shingles_of(&doc.words).into_iter().enumerate() {
            at.entry(k).or_default().push(i as u32);
        }
        Runs { words: &doc.words, at }
    }

    /// The longest run of words the report repeats from `doc` word for word:
    /// `(start in the report, length)`.
    fn longest_in(&self, doc: &Document) -> Option<(usize, usize)> {
        let mut best: Option<(usize, usize)> = None;
        for (j, k) in doc.shingles.iter().enumerate() {
            for &i in self.at.get(k).into_iter().flatten() {
                let i = i as usize;
                // Inside a run already measured from its start.
                if i > 0 && j > 0 && self.words[i - 1] == doc.words[j - 1] {
                    continue;
                }
                let n = self.words[i..].iter().zip(&doc.words[j..]).take_while(|(a, b)| a == b).count();
                if best.is_none_or(|(_, b)| n > b) {
                    best = Some((i, n));
                }
            }
        }
        best
    }
}

/// Weighted term frequencies of a text.
fn terms_of(text: &str) -> HashMap<String, f64> {
    let mut out: HashMap<String, f64> = HashMap::new();
    for raw in text.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '.' || c == '-')) {
        let t = raw.trim_matches(|c: char| c == '.' || c == '-' || c == '_');
        if t.len() < 4 || t.len() > 64 || t.chars().all(|c| c.is_ascii_digit() || c == '.' || c == '-') {
            continue;
        }
        if is_code_term(t) {
            // Files: keep the base name (lib/http.c and http.c are the same file to a reader).
            let t = t.rsplit('/').next().unwrap_or(t);
            *out.entry(t.to_string()).or_default() += 3.0;
        } else {
            let lower = t.to_ascii_lowercase();
            if !STOP.contains(&lower.as_str()) && lower.chars().any(|c| c.is_ascii_alphabetic()) {
                *out.entry(lower).or_default() += 1.0;
            }
        }
    }
    // Dampen repetition.
    for v in out.values_mut() {
        *v = 1.0 + v.ln();
    }
    out
}

impl Document {
    /// `n` words from word `i` on, as the text has them (white space collapsed).
    fn passage(&self, i: usize, n: usize) -> String {
        let (a, b) = (self.spans[i].0, self.spans[i + n - 1].1);
        self.source[a..b].split_whitespace().collect::<Vec<_>>().join(" ")
    }

    /// A document from plain text.
    pub fn new(id: &str, title: &str, text: &str, aliases: Vec<String>) -> Document {
        let full = format!("{title}\n{title}\n{text}");
        let source = format!("{title}\n{text}");
        let (words, spans) = words_of(&source);
        Document {
            id: id.to_string(),
            title: title.to_string(),
            aliases,
            cites: Vec::new(),
            own: Vec::new(),
            date: None,
            terms: terms_of(&full),
            words,
            spans,
            source,
            shingles: Vec::new(),
        }
    }

    /// The same document with its date: the `YYYY-MM-DD` that starts `date` (an OSV timestamp
    /// `2024-03-27T08:00:00Z` or a plain date); anything else leaves it undated.
    pub fn dated(mut self, date: Option<&str>) -> Document {
        self.date = date.and_then(|d| d.get(..10)).filter(|d| vouch_source::parse_date(d).is_some()).map(str::to_string);
        self
    }

    /// A report: its title, prose and the project code it quotes (not the reporter's own code,
    /// logs or traces, which would make every report with a Python server look alike).
    pub fn of_report(name: &str, report: &Report) -> Document {
        let mut text = String::new();
        for b in &report.blocks {
            if matches!(b.kind, BlockKind::Prose | BlockKind::ProjectCode | BlockKind::Patch) {
                text.push_str(&b.text);
                text.push('\n');
            }
        }
        let title = report.title.clone().unwrap_or_else(|| name.to_string());
        let mut d = Document::new(name, &title, &text, Vec::new()).dated(report.meta.date.as_deref());
        d.cites = report
            .claims
            .iter()
            .filter(|c| matches!(c.kind, ClaimKind::Cve | ClaimKind::Ghsa))
            .map(|c| c.text.to_ascii_uppercase())
            .collect();
        d.own = report
            .claims
            .iter()
            .filter(|c| matches!(c.kind, ClaimKind::Cve | ClaimKind::Ghsa) && c.origin == vouch_claims::Origin::Metadata)
            .map(|c| c.text.to_ascii_uppercase())
            .collect();
        d
    }
}

/// A collection of documents to search.
#[derive(Debug, Clone)]
pub struct Corpus {
    kind: &'static str,
    docs: Vec<Document>,
    df: HashMap<String, usize>,
    ids: HashMap<String, usize>,
}

impl Corpus {
    /// An empty corpus of `advisory` or `report` documents.
    pub fn new(kind: &'static str) -> Corpus {
        Corpus { kind, docs: Vec::new(), df: HashMap::new(), ids: HashMap::new() }
    }

    pub fn push(&mut self, mut doc: Document) {
        if self.kind == "advisory" {
            doc.shingles = shingles_of(&doc.words);
        }
        for t in doc.terms.keys() {
            *self.df.entry(t.clone()).or_default() += 1;
        }
        let i = self.docs.len();
        self.ids.entry(doc.id.to_ascii_uppercase()).or_insert(i);
        for a in &doc.aliases {
            self.ids.entry(a.to_ascii_uppercase()).or_insert(i);
        }
        self.docs.push(doc);
    }

    pub fn len(&self) -> usize {
        self.docs.len()
    }

    pub fn is_empty(&self) -> bool {
        self.docs.is_empty()
    }

    /// The document with this id or alias (ignoring case).
    pub fn get(&self, id: &str) -> Option<&Document> {
        self.ids.get(&id.trim().to_ascii_uppercase()).map(|&i| &self.docs[i])
    }

    fn idf(&self, term: &str) -> f64 {
        let n = self.docs.len() as f64 + 1.0;
        let df = self.df.get(term).copied().unwrap_or(0) as f64 + 1.0;
        (n / df).ln() + 1.0
    }

    fn vector(&self, d: &Document) -> HashMap<String, f64> {
        d.terms.iter().map(|(t, w)| (t.clone(), w * self.idf(t))).collect()
    }

    /// Documents at least `threshold` similar to `doc`, or (advisories) of which `doc` repeats a
    /// passage of [`MIN_COPIED_WORDS`] words or more word for word; copies first, then best
    /// similarity, at most `max`. A document dated after `doc` is left out: a report cannot
    /// repeat an advisory that was not yet published (that advisory is more likely the report's
    /// own outcome), nor one of the ids `doc` was given.
    pub fn similar(&self, doc: &Document, threshold: f64, max: usize) -> Vec<Duplicate> {
        let q = self.vector(doc);
        let qn = q.values().map(|v| v * v).sum::<f64>().sqrt();
        if qn == 0.0 {
            return Vec::new();
        }
        let mut out: Vec<Duplicate> = Vec::new();
        let runs = (self.kind == "advisory").then(|| Runs::of(doc));
        for d in &self.docs {
            if d.id == doc.id {
                continue;
            }
            if let (Some(later), Some(written)) = (&d.date, &doc.date) {
                if later > written {
                    continue;
                }
            }
            let mut dot = 0.0;
            let mut dn = 0.0;
            let mut shared = Vec::new();
            for (t, w) in &d.terms {
                let v = w * self.idf(t);
                dn += v * v;
                if let Some(x) = q.get(t) {
                    dot += x * v;
                    shared.push((x * v, t.clone()));
                }
            }
            if dn == 0.0 {
                continue;
            }
            let sim = dot / (qn * dn.sqrt());
            let copied = runs
                .as_ref()
                .and_then(|r| r.longest_in(d))
                .filter(|&(_, n)| n >= MIN_COPIED_WORDS)
                .map(|(i, n)| Copied { words: n, text: doc.passage(i, n) });
            if sim >= threshold || copied.is_some() {
                shared.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
                let ids: HashSet<String> =
                    std::iter::once(d.id.to_ascii_uppercase()).chain(d.aliases.iter().map(|a| a.to_ascii_uppercase())).collect();
                if doc.own.iter().any(|o| ids.contains(o)) {
                    continue;
                }
                out.push(Duplicate {
                    kind: self.kind,
                    id: d.id.clone(),
                    title: d.title.clone(),
                    similarity: (sim * 1000.0).round() / 1000.0,
                    shared: shared.into_iter().take(8).map(|(_, t)| t).collect(),
                    cited: doc.cites.iter().any(|c| ids.contains(c)),
                    copied,
                });
            }
        }
        out.sort_by(|a, b| {
            let words = |d: &Duplicate| d.copied.as_ref().map_or(0, |c| c.words);
            words(b).cmp(&words(a)).then(b.similarity.total_cmp(&a.similarity)).then(a.id.cmp(&b.id))
        });
        out.truncate(max);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn similar_texts_rank_first_and_code_terms_count_more() {
        let mut c = Corpus::new("advisory");
        c.push(Document::new(
            "ADV-1",
            "Heap overflow in parse_header",
            "parse_header in lib/header.c copies the header value into a fixed buffer without checking its length.",
            vec!["CVE-2024-1".into()],
        ));
        c.push(Document::new(
            "ADV-2",
            "Cookie leak on redirect",
            "Cookies set for one host are sent to another host after a redirect.",
            vec![],
        ));
        c.push(Document::new("ADV-3", "Timing side channel in password compare", "The password comparison is not constant time.", vec![]));
        let q = Document::new(
            "r",
            "Buffer overflow",
            "The function parse_header() in header.c copies the value into a fixed buffer; a long value overflows it.",
            vec![],
        );
        let hits = c.similar(&q, 0.1, 3);
        assert_eq!(hits[0].id, "ADV-1", "{hits:?}");
        assert!(hits[0].shared.contains(&"parse_header".to_string()), "{hits:?}");
        assert!(hits.iter().all(|h| h.id != "ADV-3"));
        assert!(c.get("cve-2024-1").is_some_and(|d| d.id == "ADV-1"));
        assert!(c.similar(&Document::new("e", "", "", vec![]), 0.0, 3).is_empty());
    }

    #[test]
    fn passages_repeated_word_for_word() {
        let advisory = "When the client receives a response, it stores every header so that the application can read them later. \
            However, it had no limit on the size or number of headers, so a malicious server could send headers without end.";
        let mut c = Corpus::new("advisory");
        c.push(Document::new("ADV-1", "Headers eat memory", advisory, vec![]).dated(Some("2023-09-13T00:00:00Z")));
        let report = |text: &str, date: &str| Document::new("r", "Denial of service", text, vec![]).dated(Some(date));
        // Case, punctuation and line breaks do not matter; the passage is shown as the report has it.
        let copied = "Background. when the client receives a response it stores every header,\nso that the application can read \
            them later; however it had no limit on the size or number of headers. We sent 1000000 headers with a Python server, \
            measured resident memory, compared builds and configurations, and wrote down every figure in a long table below.";
        let hits = c.similar(&report(copied, "2024-06-14"), 0.9, 3);
        let c1 = hits.first().and_then(|d| d.copied.clone()).unwrap_or_else(|| panic!("{hits:?}"));
        assert_eq!(c1.words, 30, "{c1:?}");
        assert!(c1.text.starts_with("when the client receives") && c1.text.ends_with("number of headers"), "{c1:?}");
        assert!(c1.text.contains("every header, so that"), "{c1:?}");
        // Before the advisory was published, the advisory may be this report's outcome.
        assert!(c.similar(&report(copied, "2023-07-17"), 0.9, 3).is_empty());
        // The longest run counts, not the sum of short ones.
        let pieces = "When the client receives a response it stores every header. Later, so that the application can read them, \
            it had no limit on the size. Or number of headers, so a malicious server could send.";
        assert!(c.similar(&report(pieces, "2024-06-14"), 0.9, 3).is_empty());
        // Reports of a queue are compared for likeness only.
        let mut earlier = Corpus::new("report");
        earlier.push(Document::new("e", "Headers eat memory", advisory, vec![]));
        assert!(earlier.similar(&report(copied, "2024-06-14"), 0.9, 3).is_empty());
    }

    #[test]
    fn an_advisory_published_after_the_report_is_not_what_it_repeats() {
        let text = "parse_header in lib/header.c copies the header value into a fixed buffer without checking its length.";
        let mut c = Corpus::new("advisory");
        c.push(Document::new("ADV-1", "Heap overflow in parse_header", text, vec![]).dated(Some("2024-03-27T08:00:00Z")));
        c.push(Document::new("ADV-2", "Cookie leak on redirect", "Cookies go to another host after a redirect.", vec![]));
        let report = |date: Option<&str>| Document::new("r", "Heap overflow in parse_header", text, vec![]).dated(date);
        // Written after the advisory (or undated): a duplicate.
        assert_eq!(c.similar(&report(Some("2024-05-01")), 0.3, 3).first().map(|d| d.id.as_str()), Some("ADV-1"));
        assert_eq!(c.similar(&report(Some("2024-03-27")), 0.3, 3).len(), 1);
        assert_eq!(c.similar(&report(None), 0.3, 3).len(), 1);
        // Written before it was published: the advisory came later, perhaps from this report.
        assert!(c.similar(&report(Some("2024-02-10")), 0.3, 3).is_empty());
        // A date that is not one is no date.
        assert_eq!(report(Some("soon")).date, None);
        assert_eq!(report(Some("2024-02-10")).date.as_deref(), Some("2024-02-10"));
    }
}
