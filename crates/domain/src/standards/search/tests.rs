use super::*;

fn doc(key: &str, title: &str, body: &str) -> Doc {
    Doc {
        key: key.into(),
        title: title.into(),
        body: body.into(),
        tags: String::new(),
    }
}

fn keys(hits: &[Hit]) -> Vec<&str> {
    hits.iter().map(|h| h.key.as_str()).collect()
}

fn marked(segs: &[Segment]) -> String {
    segs.iter()
        .map(|s| {
            if s.hit {
                format!("[{}]", s.text)
            } else {
                s.text.clone()
            }
        })
        .collect()
}

#[test]
fn chinese_is_cut_into_bigrams_and_characters_latin_into_words() {
    let terms: Vec<String> = tokenize("缴纳电费 Bill-Pay")
        .into_iter()
        .map(|t| t.term)
        .collect();
    assert_eq!(
        terms,
        [
            "缴", "缴纳", "纳", "纳电", "电", "电费", "费", "bill", "pay"
        ]
    );
    let t = tokenize("查询ＡＢＣ电费");
    assert_eq!(t.last().unwrap().term, "费");
    assert!(
        t.iter()
            .any(|t| t.term == "abc" && t.start == 2 && t.end == 5),
        "full-width letters"
    );
    assert_eq!(query_terms("一次性告知"), ["一次", "次性", "性告", "告知"]);
    assert_eq!(query_terms("电"), ["电"]);
    assert_eq!(query_terms("  PAYMENT 电费，电费 "), ["payment", "电费"]);
    assert!(query_terms("，。!? ").is_empty());
}

#[test]
fn a_phrase_finds_documents_that_contain_it_in_longer_words() {
    let idx = Index::build(vec![
        doc("notice", "一次性告知单", "办理业务所需资料一次性告知客户。"),
        doc("other", "首问负责制", "第一位接待客户的员工负责到底。"),
    ]);
    assert_eq!(keys(&idx.search("一次性告知", 10)), ["notice"]);
    assert_eq!(keys(&idx.search("告知单", 10)), ["notice"]);
    assert!(
        idx.search("告知书", 10).is_empty(),
        "every term must be there"
    );
}

#[test]
fn electricity_fee_does_not_match_a_meter_only_document() {
    let idx = Index::build(vec![
        doc("meter", "电表校验", "客户对电表计量有异议时可申请校验。"),
        doc("fee", "电费缴纳", "可通过网上国网缴纳电费。"),
    ]);
    assert_eq!(keys(&idx.search("电费", 10)), ["fee"]);
    assert_eq!(keys(&idx.search("电表", 10)), ["meter"]);
    // One character matches both.
    assert_eq!(idx.search("电", 10).len(), 2);
}

#[test]
fn english_words_match_whatever_their_case() {
    let idx = Index::build(vec![
        doc(
            "en",
            "Standard Phrases",
            "Greet every customer: Hello, how may I help?",
        ),
        doc("zh", "规范用语", "您好，请问您办理什么业务？"),
    ]);
    assert_eq!(keys(&idx.search("HELLO", 10)), ["en"]);
    assert_eq!(keys(&idx.search("standard phrases", 10)), ["en"]);
    assert_eq!(
        keys(&idx.search("ｈｅｌｌｏ", 10)),
        ["en"],
        "full-width query"
    );
}

#[test]
fn title_hits_and_unbroken_phrases_rank_first() {
    let idx = Index::build(vec![
        // The bigrams of 一次性告知 scattered, never the phrase.
        doc(
            "scattered",
            "营业厅须知",
            "一次办完；次性；性告；告知。一次性的事项请询问。",
        ),
        doc(
            "body",
            "服务规范",
            "对客户所需资料应一次性告知，避免重复往返。",
        ),
        doc(
            "title",
            "一次性告知制度",
            "柜员应当把资料、收费、时限讲清楚。",
        ),
    ]);
    assert_eq!(
        keys(&idx.search("一次性告知", 10)),
        ["title", "body", "scattered"]
    );
    let hits = idx.search("一次性告知", 10);
    assert!(hits.windows(2).all(|w| w[0].score >= w[1].score));
    assert_eq!(keys(&idx.search("一次性告知", 1)), ["title"], "limit");
}

#[test]
fn the_more_often_a_rare_term_occurs_the_higher_the_document() {
    let idx = Index::build(vec![
        doc("once", "甲", "峰谷电价说明。其余内容与此无关，篇幅相近。"),
        doc("twice", "乙", "峰谷电价说明：峰谷电价按时段计费。"),
        doc("none", "丙", "居民阶梯电价说明。"),
    ]);
    assert_eq!(keys(&idx.search("峰谷", 10)), ["twice", "once"]);
}

#[test]
fn snippets_show_the_matches_highlighted_with_ellipses() {
    let filler = "营业厅环境整洁，物品摆放定置化。".repeat(6);
    let body = format!("{filler}客户办理新装业务时，柜员应一次性告知所需资料。{filler}");
    let idx = Index::build(vec![doc("d", "新装须知", &body)]);
    let hit = &idx.search("一次性告知", 1)[0];
    let s = marked(&hit.snippet);
    assert!(s.contains("[一次性告知]"), "{s}");
    assert!(s.starts_with('…') && s.ends_with('…'), "{s}");
    let len: usize = hit.snippet.iter().map(|g| g.text.chars().count()).sum();
    assert_eq!(len, SNIPPET_CHARS + 2);
    assert_eq!(marked(&hit.title), "新装须知");
    let hit = &idx.search("新装", 1)[0];
    assert_eq!(marked(&hit.title), "[新装]须知");
}

#[test]
fn short_texts_are_highlighted_whole() {
    let wanted: HashSet<&str> = ["电费", "hello"].into_iter().collect();
    assert_eq!(
        marked(&highlight("Hello！缴纳电费、电费发票", &wanted, Some(64))),
        "[Hello]！缴纳[电费]、[电费]发票"
    );
    assert_eq!(marked(&highlight("", &wanted, Some(64))), "");
}

#[test]
fn tags_are_found_but_not_shown() {
    let mut d = doc("code", "唱收唱付", "收取电费时当面点清。");
    d.tags = "行为规范 Behaviour code read_back".into();
    let idx = Index::build(vec![d, doc("other", "首问负责", "不推诿。")]);
    let hit = &idx.search("行为规范", 5)[0];
    assert_eq!(hit.key, "code");
    assert_eq!(marked(&hit.snippet), "收取电费时当面点清。");
    assert_eq!(keys(&idx.search("READ_BACK", 5)), ["code"]);
}

#[test]
fn empty_queries_and_indexes_find_nothing() {
    let idx = Index::build(vec![doc("a", "电费", "电费")]);
    assert!(idx.search("", 10).is_empty());
    assert!(idx.search("？！", 10).is_empty());
    assert!(Index::build(Vec::new()).search("电费", 10).is_empty());
}

#[test]
fn a_few_thousand_documents_index_and_search_quickly() {
    // Sanity bound, not a benchmark: 3000 documents of ~200 characters.
    let words = [
        "电费",
        "缴纳",
        "新装",
        "增容",
        "过户",
        "峰谷电价",
        "一次性告知",
        "首问负责",
        "光伏",
        "充电桩",
    ];
    let docs: Vec<Doc> = (0..3000)
        .map(|i| {
            let body: String = (0..20)
                .map(|j| format!("第{j}条{}事项说明。", words[(i * 7 + j) % words.len()]))
                .collect();
            doc(
                &format!("d{i}"),
                &format!("文件{i}{}", words[i % words.len()]),
                &body,
            )
        })
        .collect();
    let t = std::time::Instant::now();
    let idx = Index::build(docs);
    let built = t.elapsed();
    let t = std::time::Instant::now();
    let hits = idx.search("一次性告知", 20);
    let searched = t.elapsed();
    assert_eq!(hits.len(), 20);
    eprintln!("3000 documents: index built in {built:?}, one query in {searched:?}");
    assert!(
        built.as_secs() < 20 && searched.as_secs() < 2,
        "{built:?} {searched:?}"
    );
}

#[test]
fn a_latin_word_finds_the_longer_words_it_begins() {
    let idx = Index::build(vec![
        doc(
            "a",
            "Reconnection after payment",
            "复电 once the bill is paid",
        ),
        doc("b", "Meter check", "校验电能表"),
    ]);
    let hits = idx.search("recon", 10);
    assert_eq!(keys(&hits), ["a"]);
    assert_eq!(marked(&hits[0].title), "[Reconnection] after payment");
    // Mixed with Chinese, every term must still match.
    assert_eq!(keys(&idx.search("recon 复电", 10)), ["a"]);
    assert!(idx.search("recon 校验", 10).is_empty());
}

#[test]
fn whole_words_rank_before_prefix_matches() {
    // "b" has the prefix match in its title (weighted ×3), "a" the whole word in its body
    // only: the whole word still comes first.
    let idx = Index::build(vec![
        doc("b", "Paying the bill online", "网上国网 app"),
        doc("a", "电费缴纳", "Customers pay at the counter or online"),
    ]);
    assert_eq!(keys(&idx.search("pay", 10)), ["a", "b"]);
    assert!(idx.search("pay", 10)[0].score > 0.0);
}

#[test]
fn short_latin_words_and_chinese_are_not_prefix_matched() {
    let idx = Index::build(vec![doc("a", "Application", "app 申请书")]);
    // Two letters: whole words only ("ap" is no word of the document).
    assert!(idx.search("ap", 10).is_empty());
    assert_eq!(keys(&idx.search("app", 10)), ["a"]);
    // Chinese bigrams are matched as they are, never as prefixes of longer terms.
    assert!(idx.search("申请人", 10).is_empty());
}
