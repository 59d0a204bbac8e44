//! Full-text search for the standards library and the service catalogue, Chinese included.
//!
//! Chinese has no spaces, so text is cut into character bigrams (一次性告知 → 一次 次性 性告
//! 告知) plus single characters, and Latin letters and digits into lower-cased words;
//! full-width letters count as ASCII. A query is cut the same way (bigrams for two or more
//! Chinese characters, the character itself for one) and a document must contain every
//! query term. Hits are ranked by BM25 with the title weighted ×3, boosted when the query
//! appears as one unbroken phrase. A Latin query word also finds the words it begins
//! (`recon` → `reconnection`), worth less than the whole word, and documents matching every
//! word whole rank before those that need a prefix. Each hit carries its title and a snippet cut into
//! highlighted and plain segments, so the screen escapes text and marks hits itself.

use serde::Serialize;
use std::collections::{HashMap, HashSet};

/// A term and where it sits in its text, in characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    pub term: String,
    pub start: usize,
    pub end: usize,
}

/// Full-width ASCII as ASCII, the ideographic space as a space, letters lower-cased.
fn normalize(c: char) -> char {
    let c = match c as u32 {
        0xFF01..=0xFF5E => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        0x3000 => ' ',
        _ => c,
    };
    c.to_lowercase().next().unwrap_or(c)
}

/// Han ideographs (the unified blocks and their extensions, and 〇).
pub fn is_cjk(c: char) -> bool {
    matches!(c as u32, 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x3134F)
        || c == '〇'
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Class {
    Cjk,
    Word,
    Gap,
}

fn class(c: char) -> Class {
    if is_cjk(c) {
        Class::Cjk
    } else if c.is_alphanumeric() {
        Class::Word
    } else {
        Class::Gap
    }
}

/// Runs of one class: (class, start, normalized chars); gaps end runs and are dropped.
fn runs(text: &str) -> Vec<(Class, usize, Vec<char>)> {
    let mut out = Vec::new();
    let mut cur: Option<(Class, usize, Vec<char>)> = None;
    for (i, c) in text.chars().map(normalize).enumerate() {
        let k = class(c);
        match &mut cur {
            Some((ck, _, chars)) if *ck == k => chars.push(c),
            _ => {
                out.extend(cur.take());
                if k != Class::Gap {
                    cur = Some((k, i, vec![c]));
                }
            }
        }
    }
    out.extend(cur);
    out
}

/// Every term of a text to index: words, Chinese bigrams and single characters.
pub fn tokenize(text: &str) -> Vec<Token> {
    let mut out = Vec::new();
    for (k, start, chars) in runs(text) {
        match k {
            Class::Word => out.push(Token {
                term: chars.iter().collect(),
                start,
                end: start + chars.len(),
            }),
            Class::Cjk => {
                for i in 0..chars.len() {
                    out.push(Token {
                        term: chars[i].to_string(),
                        start: start + i,
                        end: start + i + 1,
                    });
                    if i + 1 < chars.len() {
                        out.push(Token {
                            term: chars[i..i + 2].iter().collect(),
                            start: start + i,
                            end: start + i + 2,
                        });
                    }
                }
            }
            Class::Gap => {}
        }
    }
    out
}

/// The distinct terms a query asks for, in order: bigrams for Chinese runs of two or more
/// characters, the character for a run of one, words otherwise.
pub fn query_terms(query: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for (k, _, chars) in runs(query) {
        let terms: Vec<String> = match k {
            Class::Cjk if chars.len() >= 2 => {
                chars.windows(2).map(|w| w.iter().collect()).collect()
            }
            _ => vec![chars.iter().collect()],
        };
        for t in terms {
            if !out.contains(&t) {
                out.push(t);
            }
        }
    }
    out
}

/// Text without spaces, normalized: where an unbroken phrase is looked for.
fn compact(text: &str) -> String {
    text.chars()
        .map(normalize)
        .filter(|c| !c.is_whitespace())
        .collect()
}

/// One document to index: a key the caller resolves (e.g. `standard:12`), title and body,
/// and tags (category names, codes) that are found but never shown in a snippet.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Doc {
    pub key: String,
    pub title: String,
    pub body: String,
    pub tags: String,
}

/// A piece of highlighted text: `hit` marks a match.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Segment {
    pub text: String,
    pub hit: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Hit {
    pub key: String,
    pub score: f64,
    pub title: Vec<Segment>,
    pub snippet: Vec<Segment>,
}

const TITLE_WEIGHT: f64 = 3.0;
const TAG_WEIGHT: f64 = 2.0;
const K1: f64 = 1.2;
const B: f64 = 0.75;
/// Characters of body text a snippet shows.
pub const SNIPPET_CHARS: usize = 64;
/// A word found only as the start of a longer word counts this much of a whole-word hit.
const PREFIX_WEIGHT: f64 = 0.5;
/// Shorter Latin query words match whole words only: `a` or `9` would match half the index.
pub const MIN_PREFIX_CHARS: usize = 3;
/// Longer queries are cut: nobody types more at a counter, and it bounds the work.
pub const MAX_QUERY_TERMS: usize = 32;

/// An inverted index over a hall's documents, built once and searched many times.
#[derive(Debug, Default)]
pub struct Index {
    docs: Vec<Doc>,
    /// term → (document, weighted term frequency)
    postings: HashMap<String, Vec<(usize, f64)>>,
    lens: Vec<f64>,
    avg_len: f64,
    /// The indexed Latin words, sorted: where prefixes are looked up.
    words: Vec<String>,
}

/// A Latin word or number (not a Chinese term).
fn is_word(term: &str) -> bool {
    !term.chars().any(is_cjk)
}

/// Whether `term` (an indexed term) is a longer word that the query word `q` begins.
fn extends(term: &str, q: &str) -> bool {
    q.chars().count() >= MIN_PREFIX_CHARS
        && is_word(q)
        && term.len() > q.len()
        && term.starts_with(q)
}

impl Index {
    pub fn build(docs: Vec<Doc>) -> Self {
        let mut postings: HashMap<String, Vec<(usize, f64)>> = HashMap::new();
        let mut lens = Vec::with_capacity(docs.len());
        for (i, d) in docs.iter().enumerate() {
            let mut tf: HashMap<String, f64> = HashMap::new();
            let mut len = 0.0;
            for (text, w) in [
                (&d.title, TITLE_WEIGHT),
                (&d.tags, TAG_WEIGHT),
                (&d.body, 1.0),
            ] {
                for t in tokenize(text) {
                    *tf.entry(t.term).or_default() += w;
                    len += w;
                }
            }
            for (term, f) in tf {
                postings.entry(term).or_default().push((i, f));
            }
            lens.push(len);
        }
        let avg_len = if lens.is_empty() {
            1.0
        } else {
            (lens.iter().sum::<f64>() / lens.len() as f64).max(1.0)
        };
        let mut words: Vec<String> = postings.keys().filter(|t| is_word(t)).cloned().collect();
        words.sort();
        Self {
            docs,
            postings,
            lens,
            avg_len,
            words,
        }
    }

    pub fn len(&self) -> usize {
        self.docs.len()
    }

    pub fn is_empty(&self) -> bool {
        self.docs.is_empty()
    }

    /// The best `limit` documents containing every term of `query`, best first.
    pub fn search(&self, query: &str, limit: usize) -> Vec<Hit> {
        let mut terms = query_terms(query);
        terms.truncate(MAX_QUERY_TERMS);
        if terms.is_empty() || self.docs.is_empty() {
            return Vec::new();
        }
        let n = self.docs.len() as f64;
        // doc → (score, terms matched, terms matched as whole words)
        let mut scores: HashMap<usize, (f64, usize, usize)> = HashMap::new();
        for term in &terms {
            // The term itself, then the longer words it begins (sorted, so one range).
            let mut lists: Vec<(&Vec<(usize, f64)>, f64)> = Vec::new();
            if let Some(list) = self.postings.get(term) {
                lists.push((list, 1.0));
            }
            if is_word(term) && term.chars().count() >= MIN_PREFIX_CHARS {
                let from = self.words.partition_point(|w| w.as_str() <= term.as_str());
                for w in self.words[from..]
                    .iter()
                    .take_while(|w| w.starts_with(term.as_str()))
                {
                    lists.push((&self.postings[w], PREFIX_WEIGHT));
                }
            }
            if lists.is_empty() {
                return Vec::new(); // every term must match
            }
            // Per document, the best of the words this term matched.
            let mut best: HashMap<usize, (f64, bool)> = HashMap::new();
            for (list, weight) in lists {
                let idf = (1.0 + (n - list.len() as f64 + 0.5) / (list.len() as f64 + 0.5)).ln();
                for &(doc, tf) in list {
                    let norm = K1 * (1.0 - B + B * self.lens[doc] / self.avg_len);
                    let s = weight * idf * tf * (K1 + 1.0) / (tf + norm);
                    let e = best.entry(doc).or_insert((0.0, false));
                    e.0 = e.0.max(s);
                    e.1 |= weight == 1.0;
                }
            }
            for (doc, (s, whole)) in best {
                let e = scores.entry(doc).or_default();
                e.0 += s;
                e.1 += 1;
                e.2 += usize::from(whole);
            }
        }
        let phrase = compact(query);
        let mut ranked: Vec<(usize, usize, f64)> = scores
            .into_iter()
            .filter(|(_, (_, matched, _))| *matched == terms.len())
            .map(|(doc, (s, _, whole))| {
                let d = &self.docs[doc];
                let boost = if compact(&d.title).contains(&phrase) {
                    2.0
                } else if compact(&d.body).contains(&phrase) || compact(&d.tags).contains(&phrase) {
                    1.5
                } else {
                    1.0
                };
                (doc, whole, s * boost)
            })
            .collect();
        // Whole-word matches first, then by score.
        ranked.sort_by(|a, b| b.1.cmp(&a.1).then(b.2.total_cmp(&a.2)).then(a.0.cmp(&b.0)));
        ranked.truncate(limit);
        let wanted: HashSet<&str> = terms.iter().map(String::as_str).collect();
        ranked
            .into_iter()
            .map(|(doc, _, score)| {
                let d = &self.docs[doc];
                Hit {
                    key: d.key.clone(),
                    score,
                    title: highlight(&d.title, &wanted, None),
                    snippet: highlight(&d.body, &wanted, Some(SNIPPET_CHARS)),
                }
            })
            .collect()
    }
}

/// Character ranges of `text` matching the wanted terms (Latin ones also as prefixes), merged.
fn matches(text: &str, wanted: &HashSet<&str>) -> Vec<(usize, usize)> {
    let mut spans: Vec<(usize, usize)> = tokenize(text)
        .into_iter()
        .filter(|t| wanted.contains(t.term.as_str()) || wanted.iter().any(|q| extends(&t.term, q)))
        .map(|t| (t.start, t.end))
        .collect();
    spans.sort();
    let mut merged: Vec<(usize, usize)> = Vec::new();
    for (s, e) in spans {
        match merged.last_mut() {
            Some(last) if s <= last.1 => last.1 = last.1.max(e),
            _ => merged.push((s, e)),
        }
    }
    merged
}

/// `text` cut into plain and highlighted segments; with `window`, only the `window`
/// characters around the densest cluster of matches, with … where text was left out.
pub fn highlight(text: &str, wanted: &HashSet<&str>, window: Option<usize>) -> Vec<Segment> {
    let chars: Vec<char> = text.chars().collect();
    let spans = matches(text, wanted);
    let (from, to) = match window {
        Some(w) if chars.len() > w => {
            // Start a little before the match that has the most matches after it.
            let lead = w / 5;
            let best = spans
                .iter()
                .map(|&(s, _)| {
                    let from = s.saturating_sub(lead);
                    let n = spans
                        .iter()
                        .filter(|&&(a, b)| a >= from && b <= from + w)
                        .count();
                    (n, std::cmp::Reverse(from), from)
                })
                .max()
                .map(|t| t.2)
                .unwrap_or(0);
            let from = best.min(chars.len() - w);
            (from, from + w)
        }
        _ => (0, chars.len()),
    };
    let mut out: Vec<Segment> = Vec::new();
    let mut push = |text: String, hit: bool| {
        if text.is_empty() {
            return;
        }
        match out.last_mut() {
            Some(last) if last.hit == hit => last.text.push_str(&text),
            _ => out.push(Segment { text, hit }),
        }
    };
    if from > 0 {
        push("…".into(), false);
    }
    let mut at = from;
    for &(s, e) in &spans {
        let (s, e) = (s.max(from), e.min(to));
        if s >= e {
            continue;
        }
        push(chars[at..s].iter().collect(), false);
        push(chars[s..e].iter().collect(), true);
        at = e;
    }
    push(chars[at..to].iter().collect(), false);
    if to < chars.len() {
        push("…".into(), false);
    }
    out
}

#[cfg(test)]
mod tests;
