//! "This position has been filled": recognising closed postings that are still online.
//!
//! Some career sites keep a closed posting's URL alive and only replace its body, e.g. Air
//! India's SuccessFactors pages answer HTTP 200 with "Sorry, this position has been filled."
//! in place of the description. Such a page is not a broken page and not a live job: the job
//! becomes `filled`.
//!
//! The check is deliberately narrow. Job ads often say "applications are reviewed until the
//! position has been filled" or "positions to be filled: 3"; those must not close a live job,
//! so a statement preceded by until/once/when/… or phrased in the future does not count.

use std::sync::LazyLock;

use regex::Regex;

/// A statement that a posting is filled or closed: "(this) position has been filled", "the
/// vacancy is now filled", "job filled", "no longer accepting applications".
static FILLED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?xi)
        \b(?:position|job|vacancy|role|post|opening|requisition|posting)s?\s+
        (?:
            (?:has|have)\s+(?:now\s+|already\s+)?been\s+filled
          | (?:is|are|was|were)\s+(?:now\s+|already\s+)?(?:been\s+)?filled
          | filled\b
        )\b
        | \bno\s+longer\s+(?:accepting|taking)\s+applications\b",
    )
    .expect("valid filled regex")
});

/// Words that turn the statement into a condition ("until the position has been filled").
static CONDITIONAL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:until|till|unless|once|when|whenever|after|before|if|as\s+soon\s+as)\s+(?:the\s+|this\s+|that\s+|all\s+|a\s+)?\S*\s*$")
        .expect("valid conditional regex")
});

/// What a text must contain for [`FILLED`] to have a chance, a cheap pre-check: its statements
/// contain "filled" or "no longer …" (in any case); tags only become spaces, and entity decoding
/// makes letters only from numeric references (`&#102;illed`).
static MENTIONS: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)filled|longer|&#").expect("valid mention regex"));

static TAGS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?s)<(?:script|style)\b.*?</(?:script|style)>|<[^>]*>").expect("valid tag regex")
});

/// Whether a page (HTML or plain text) says the position is filled, e.g.
/// "Sorry, this position has been filled."; conditions such as "until the position has been
/// filled" do not count.
pub fn page_says_filled(text: &str) -> bool {
    // Most texts never mention filling: skip the tag stripping and decoding for them.
    if !MENTIONS.is_match(text) {
        return false;
    }
    let plain = TAGS.replace_all(text, " ");
    let plain = html_escape::decode_html_entities(&plain);
    let plain: String = plain.split_whitespace().collect::<Vec<_>>().join(" ");
    FILLED.find_iter(&plain).any(|m| {
        let before = &plain[..m.start()];
        // The few words before the match decide whether it is a condition.
        let window_start = before
            .char_indices()
            .rev()
            .filter(|(_, c)| c.is_whitespace())
            .nth(3)
            .map_or(0, |(i, _)| i);
        !CONDITIONAL.is_match(&before[window_start..])
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn closed_posting_texts_are_recognised() {
        for text in [
            "Sorry, this position has been &#102;illed.",
            "Sorry, this position has been filled.",
            "<div class=\"job\"><p><strong>Sorry, this position has been filled.</strong></p></div>",
            "This vacancy is now filled. Thank you for your interest.",
            "The job has already been filled",
            "POSITION FILLED",
            "Sorry,&nbsp;this position has&nbsp;been filled.",
            "These positions have been filled.",
            "We are no longer accepting applications for this role.",
        ] {
            assert!(page_says_filled(text), "{text:?}");
        }
    }

    #[test]
    fn live_ads_that_mention_filling_are_not_filled() {
        for text in [
            "Applications will be reviewed until the position has been filled.",
            "We recruit on a rolling basis until the vacancy is filled",
            "Apply early: the advert closes once the role has been filled.",
            "Positions to be filled: 3",
            "This position will be filled by an internal candidate if possible",
            "Please fill in the form",
            "Captain A320 — Dublin base",
            "",
        ] {
            assert!(!page_says_filled(text), "{text:?}");
        }
    }

    #[test]
    fn script_contents_are_ignored() {
        let page = "<script>var msg = 'position has been filled';</script><p>Senior Engineer</p>";
        assert!(!page_says_filled(page));
    }
}
