//! The sheet's pure rules: how a grid is named on a unit's sheet.

/// A grid's name without the meeting unit's in front ("工人路社区第4网格" on 工人路社区's sheet is
/// "第4网格"): the title already names the unit, and the column is narrow.
pub fn grid_name(grid: &str, unit: &str) -> String {
    match grid.strip_prefix(unit) {
        Some(rest) if !rest.is_empty() && !unit.is_empty() => rest.to_string(),
        _ => grid.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grids_are_named_without_the_meetings_unit() {
        assert_eq!(grid_name("工人路社区第4网格", "工人路社区"), "第4网格");
        assert_eq!(
            grid_name("工人路社区第4网格", "林山寨街道"),
            "工人路社区第4网格"
        );
        assert_eq!(grid_name("工人路社区", "工人路社区"), "工人路社区");
        assert_eq!(grid_name("", "工人路社区"), "");
    }
}
