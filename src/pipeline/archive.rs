//! The archives: a site's briefs by year and month of publication, for the pages
//! `/2022/` and `/2022/03/` (and `/fr/2022/03/` for each language of a site with
//! several). A month's page lists all its briefs, unpaginated, so that no page of the
//! archives renumbers when briefs arrive.

use chrono::Datelike;

use crate::content::Brief;

/// A period of the archives: a year, or a month of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Period {
    pub year: i32,
    /// 1 to 12; `None` for the whole year.
    pub month: Option<u32>,
}

impl Period {
    /// The period's folder under `folder` (`/` or `/fr/`): `/2022/`, `/fr/2022/03/`.
    pub fn path(self, folder: &str) -> String {
        match self.month {
            None => format!("{folder}{:04}/", self.year),
            Some(month) => format!("{folder}{:04}/{month:02}/", self.year),
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ArchiveMonth {
    pub month: u32,
    /// Indexes into `Site::briefs`, newest first.
    pub briefs: Vec<usize>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ArchiveYear {
    pub year: i32,
    /// Newest first.
    pub months: Vec<ArchiveMonth>,
}

impl ArchiveYear {
    pub fn count(&self) -> usize {
        self.months.iter().map(|m| m.briefs.len()).sum()
    }
}

/// The briefs of a list (the whole site, or a language), by year and month, newest first.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Archive {
    pub years: Vec<ArchiveYear>,
}

impl Archive {
    /// The archive of `list` (indexes into `briefs`, newest first). A brief is filed under
    /// the year and month of its date as written (its own offset), as its address is.
    pub fn new(briefs: &[std::sync::Arc<Brief>], list: &[usize]) -> Archive {
        let mut years: Vec<ArchiveYear> = Vec::new();
        for &index in list {
            let date = briefs[index].date.datetime;
            let (year, month) = (date.year(), date.month());
            // Sorted by moment, dates written with other offsets can cross a month's edge
            // out of order: the year and month are looked for, not assumed to be the last.
            let at = match years.iter().rposition(|y| y.year == year) {
                Some(at) => at,
                None => {
                    years.push(ArchiveYear { year, months: Vec::new() });
                    years.len() - 1
                }
            };
            let months = &mut years[at].months;
            match months.iter_mut().rev().find(|m| m.month == month) {
                Some(found) => found.briefs.push(index),
                None => months.push(ArchiveMonth { month, briefs: vec![index] }),
            }
        }
        years.sort_by_key(|y| std::cmp::Reverse(y.year));
        for year in &mut years {
            year.months.sort_by_key(|m| std::cmp::Reverse(m.month));
        }
        Archive { years }
    }

    /// Every period with a page: each year, then its months.
    pub fn periods(&self) -> impl Iterator<Item = Period> + '_ {
        self.years.iter().flat_map(|year| {
            std::iter::once(Period { year: year.year, month: None })
                .chain(year.months.iter().map(|m| Period { year: year.year, month: Some(m.month) }))
        })
    }

    pub fn year(&self, year: i32) -> Option<&ArchiveYear> {
        self.years.iter().find(|y| y.year == year)
    }

    /// The briefs of a month, newest first.
    pub fn month(&self, year: i32, month: u32) -> &[usize] {
        self.year(year).and_then(|y| y.months.iter().find(|m| m.month == month)).map_or(&[], |m| &m.briefs)
    }
}
