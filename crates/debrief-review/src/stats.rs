//! Median and 90th percentile, by the nearest-rank method: every figure reported is one
//! that was observed.

use serde::Serialize;

/// How a figure is spread across postmortems.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Default)]
pub struct Spread {
    /// How many postmortems state it.
    pub count: usize,
    /// The median.
    pub median: Option<f64>,
    /// The 90th percentile.
    pub p90: Option<f64>,
}

impl Spread {
    /// The spread of some values.
    pub fn of(values: impl Iterator<Item = f64>) -> Spread {
        let mut values: Vec<f64> = values.filter(|v| v.is_finite()).collect();
        values.sort_by(f64::total_cmp);
        Spread {
            count: values.len(),
            median: percentile(&values, 50),
            p90: percentile(&values, 90),
        }
    }
}

/// The `p`th percentile of sorted values, by nearest rank.
pub fn percentile(sorted: &[f64], p: usize) -> Option<f64> {
    if sorted.is_empty() {
        return None;
    }
    let rank = (p * sorted.len()).div_ceil(100).max(1);
    sorted.get(rank - 1).copied()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_rank() {
        let spread = Spread::of([5.0, 1.0, 4.0, 2.0, 3.0].into_iter());
        assert_eq!(
            (spread.count, spread.median, spread.p90),
            (5, Some(3.0), Some(5.0))
        );
        let ten = Spread::of((1..=10).map(f64::from));
        assert_eq!((ten.median, ten.p90), (Some(5.0), Some(9.0)));
        assert_eq!(Spread::of(std::iter::empty()).median, None);
    }
}
