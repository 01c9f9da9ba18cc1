//! What a street marks some of its branches with: demonstration sites, first secretaries sent by
//! the office, and the few branches that fell silent.

use chrono::{Duration, NaiveDate};
use rand::Rng;
use rand::rngs::StdRng;

use super::{Branch, FIRST_SECRETARIES, SILENT};
use crate::demo::names;
use crate::demo::party::texts::{self, pick};

/// The seed's demonstration sites by name; a synthetic street's first community and first
/// enterprise.
pub(super) fn demo_sites(
    rng: &mut StdRng,
    branches: &mut [Branch],
    street: &str,
    today: NaiveDate,
) {
    let real = matches!(street, "林山寨街道" | "绿东村街道");
    let mut first_enterprise = true;
    for (i, b) in branches.iter_mut().enumerate() {
        let brand = if real {
            texts::DEMO_SITES
                .iter()
                .find(|(site, _)| b.name == format!("{site}党支部"))
                .map(|(_, brand)| brand.to_string())
        } else if i == 0 || (b.kind == "enterprise" && first_enterprise) {
            first_enterprise &= b.kind != "enterprise";
            Some("“党建引领网格治理”".to_string())
        } else {
            None
        };
        let Some(brand) = brand else { continue };
        let evidence = format!(
            "党群服务中心{}平方米，悬挂党组织牌子，三会一课、党员管理等{}项制度上墙，\
             每月开展主题党日，台账齐全；特色品牌：{brand}",
            rng.random_range(120..=600),
            rng.random_range(6..=12)
        );
        let reviewed = today - Duration::days(rng.random_range(30..=300));
        b.demo = Some((evidence, reviewed, pick(rng, texts::REVIEWS)));
    }
}

/// Office cadres sent to communities as first secretaries, the strongest community (the
/// street's first) excepted (先进社区帮扶后进社区).
pub(super) fn first_secretaries(rng: &mut StdRng, branches: &mut [Branch], today: NaiveDate) {
    for b in branches
        .iter_mut()
        .filter(|b| matches!(b.kind, "community" | "village"))
        .skip(1)
        .take(FIRST_SECRETARIES)
    {
        let since = today - Duration::days(rng.random_range(60..=900));
        b.first_secretary = Some((
            names::person_name(rng),
            pick(rng, texts::FIRST_SECRETARY_POSTS),
            since,
        ));
    }
}

/// A few branches of the street fell silent a month or more ago; never a demonstration site
/// or the demo secretary's branch, which the demo walks through.
pub(super) fn silence(rng: &mut StdRng, branches: &mut [Branch], today: NaiveDate) {
    let candidates: Vec<usize> = (0..branches.len())
        .filter(|&i| branches[i].demo.is_none() && branches[i].secretary_user.is_none())
        .collect();
    let n = rng.random_range(SILENT.0..=SILENT.1);
    for k in 0..n.min(candidates.len()) {
        // Spread over the street: every few candidates one.
        let j = ((k * candidates.len()) / n + rng.random_range(0..2)).min(candidates.len() - 1);
        branches[candidates[j]].silent_from =
            Some(today - Duration::days(rng.random_range(31..=75)));
    }
}
