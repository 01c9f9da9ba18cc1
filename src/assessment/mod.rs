//! 量化考核 (issue 17): a scheme's indicator tree scored from the records Gridwork already holds
//! (issues from the summary table, patrols from the coverage index, on the work calendar) plus
//! manual inspection entries, per third-level grid and month; the street's ranking with grade
//! bands, each object's entries with the formula beside every point and a link to the records
//! behind it, reversal instead of deletion, publication that freezes a month, the export, the
//! printed bulletin (考核通报) and a grid worker's own score.

pub mod domain;
