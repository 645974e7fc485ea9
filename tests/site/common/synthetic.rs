//! Synthetic campaign sites of any size, the same every time: the scale benchmark builds them,
//! and a test builds one to prove that threads never change the output.

use std::fmt::Write as _;
use std::path::Path;

/// A small deterministic generator (a linear congruential one), so every run builds the same site.
struct Numbers(u64);

impl Numbers {
    fn next(&mut self, below: u64) -> u64 {
        self.0 = self.0.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) % below.max(1)
    }
}

const WORDS: [&str; 24] = [
    "children",
    "online",
    "safety",
    "police",
    "recorded",
    "platform",
    "offences",
    "social",
    "networks",
    "regulator",
    "report",
    "campaign",
    "families",
    "schools",
    "evidence",
    "moderators",
    "accounts",
    "grooming",
    "alerts",
    "code",
    "practice",
    "transparency",
    "government",
    "protect",
];

fn sentence(n: &mut Numbers, words: usize) -> String {
    let mut s: Vec<&str> = (0..words).map(|_| WORDS[n.next(WORDS.len() as u64) as usize]).collect();
    let first = s.remove(0);
    format!("{}{} {}.", first[..1].to_uppercase(), &first[1..], s.join(" "))
}

/// A site of `pages` pages of about 600 words and `figures` figures of mixed kinds, under
/// `dir`. With figures, one page in ten shows a chart and quotes two of its values.
pub fn generate(dir: &Path, pages: usize, figures: usize) {
    let mut n = Numbers(42);
    std::fs::create_dir_all(dir.join("content/news")).unwrap();
    std::fs::create_dir_all(dir.join("content/figures")).unwrap();
    std::fs::write(
        dir.join("content/site.yaml"),
        "title: Scale test\ndescription: A synthetic campaign.\nbase_url: https://scale.example.org/\nlanguage: en-GB\norganisation: Bench Trust\n",
    )
    .unwrap();
    std::fs::write(dir.join("content/index.md"), "---\ntitle: Home\nweight: 1\n---\nA synthetic campaign site. [News](/news/).\n").unwrap();
    std::fs::write(dir.join("content/news/_index.md"), "---\ntitle: News\nweight: 2\n---\nEverything.\n").unwrap();
    let kinds = ["bar", "column", "stacked-bar", "donut", "line"];
    for f in 0..figures {
        let kind = kinds[f % kinds.len()];
        let mut yaml =
            format!("title: Figure {f} shows a finding\nsource: Bench source\nchart: {kind}\nunit: count\nvalues:\n  total: {}\n", 100 + n.next(900));
        if kind == "stacked-bar" {
            yaml.push_str("categories: [North, South, East]\nseries:\n");
            for s in ["A", "B", "C"] {
                let _ = writeln!(yaml, "  - {{ name: {s}, values: [{}, {}, {}] }}", n.next(50), n.next(50), n.next(50));
            }
        } else {
            yaml.push_str("data:\n");
            for l in 0..5 {
                let _ = writeln!(yaml, "  - {{ label: Item {l}, value: {} }}", 1 + n.next(99));
            }
        }
        std::fs::write(dir.join(format!("content/figures/f{f}.yaml")), yaml).unwrap();
    }
    for p in 0..pages {
        let mut body = format!("---\ntitle: Story {p}\ndate: 2018-{:02}-{:02}\n---\n", 1 + p % 12, 1 + p % 28);
        for section in 0..4 {
            let _ = writeln!(body, "## Part {section}\n");
            for _ in 0..3 {
                let para: Vec<String> = (0..3).map(|_| sentence(&mut n, 12)).collect();
                let _ = writeln!(body, "{} See [story {}](/news/p{}/).\n", para.join(" "), (p + 1) % pages, (p + 1) % pages);
            }
        }
        body.push_str("- first point\n- second point\n- third point\n\n| Area | Cases |\n|---|---:|\n| North | 12 |\n| South | 30 |\n\n");
        if figures > 0 && p % 10 == 0 {
            let f = p / 10 % figures;
            let _ = writeln!(body, "The figure: {{{{ value(id=\"f{f}\", key=\"total\") }}}} in all.\n\n```chart f{f}\n```\n\nAgain: {{{{ value(id=\"f{f}\", key=\"total\") }}}}.\n");
        }
        std::fs::write(dir.join(format!("content/news/p{p}.md")), body).unwrap();
    }
}
