//! Policy consultations (政策咨询): their states and the working-day clock they run on.

use std::collections::BTreeSet;

use chrono::{Datelike, Days, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};

use crate::DomainError;

/// Which days the city's offices work: Monday to Friday, except public holidays, plus the
/// weekend days made working days in exchange (调休). Admins keep both lists.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkCalendar {
    pub holidays: BTreeSet<NaiveDate>,
    pub makeup_workdays: BTreeSet<NaiveDate>,
}

impl WorkCalendar {
    pub fn is_working_day(&self, day: NaiveDate) -> bool {
        if self.makeup_workdays.contains(&day) {
            return true;
        }
        if self.holidays.contains(&day) {
            return false;
        }
        !matches!(day.weekday(), Weekday::Sat | Weekday::Sun)
    }

    /// The `n`th working day after `from` (`from` itself does not count): the due date of
    /// something received on `from` with `n` working days to answer.
    pub fn add_working_days(&self, from: NaiveDate, n: u32) -> NaiveDate {
        let mut day = from;
        let mut left = n;
        while left > 0 {
            day = day.checked_add_days(Days::new(1)).unwrap_or(day);
            if self.is_working_day(day) {
                left -= 1;
            }
        }
        day
    }

    /// Working days from `from` (exclusive) to `to` (inclusive); negative when `to` is
    /// earlier. A due date minus today: how many working days are left.
    pub fn working_days_between(&self, from: NaiveDate, to: NaiveDate) -> i64 {
        let (a, b, sign) = if from <= to {
            (from, to, 1)
        } else {
            (to, from, -1)
        };
        let count = a
            .iter_days()
            .skip(1)
            .take_while(|d| *d <= b)
            .filter(|d| self.is_working_day(*d))
            .count() as i64;
        sign * count
    }
}

label_enum! {
    /// Where a consultation is.
    ConsultStatus {
        Submitted => "待分办",
        Assigned => "办理中",
        Answered => "已答复",
        Closed => "已办结",
        Rejected => "不予受理",
    }
}

impl ConsultStatus {
    /// Routed (or re-routed) to an organization.
    pub fn assign(self) -> Result<ConsultStatus, DomainError> {
        match self {
            ConsultStatus::Submitted | ConsultStatus::Assigned => Ok(ConsultStatus::Assigned),
            other => Err(Self::refused(other, "转办")),
        }
    }

    /// Answered by the responsible organization; only once.
    pub fn answer(self) -> Result<ConsultStatus, DomainError> {
        match self {
            ConsultStatus::Submitted | ConsultStatus::Assigned => Ok(ConsultStatus::Answered),
            other => Err(Self::refused(other, "答复")),
        }
    }

    /// Rejected with a reason; not after an answer.
    pub fn reject(self) -> Result<ConsultStatus, DomainError> {
        match self {
            ConsultStatus::Submitted | ConsultStatus::Assigned => Ok(ConsultStatus::Rejected),
            other => Err(Self::refused(other, "不予受理")),
        }
    }

    /// Closed after the answer.
    pub fn close(self) -> Result<ConsultStatus, DomainError> {
        match self {
            ConsultStatus::Answered => Ok(ConsultStatus::Closed),
            other => Err(Self::refused(other, "办结")),
        }
    }

    /// Whether the working-day clock still runs.
    pub fn is_open(self) -> bool {
        matches!(self, ConsultStatus::Submitted | ConsultStatus::Assigned)
    }

    fn refused(current: ConsultStatus, action: &str) -> DomainError {
        DomainError::new(
            "status",
            format!("该咨询当前为“{}”，不能再{action}", current.as_str()),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date")
    }

    #[test]
    fn due_dates_skip_weekends() {
        let cal = WorkCalendar::default();
        // Friday + 1 working day = Monday; + 5 = the next Friday.
        assert_eq!(cal.add_working_days(d("2026-11-27"), 1), d("2026-11-30"));
        assert_eq!(cal.add_working_days(d("2026-11-27"), 5), d("2026-12-04"));
        assert_eq!(
            cal.working_days_between(d("2026-11-27"), d("2026-12-04")),
            5
        );
        assert_eq!(
            cal.working_days_between(d("2026-12-04"), d("2026-11-27")),
            -5
        );
    }

    #[test]
    fn holidays_stop_the_clock_and_makeup_days_run_it() {
        // National Day week 2026: 1–7 October off, Saturday 10 October worked instead.
        let cal = WorkCalendar {
            holidays: (1..=7).map(|day| d(&format!("2026-10-0{day}"))).collect(),
            makeup_workdays: [d("2026-10-10")].into_iter().collect(),
        };
        // Received Wednesday 30 September with 3 working days: 8, 9, 10 October.
        assert_eq!(cal.add_working_days(d("2026-09-30"), 3), d("2026-10-10"));
        assert!(cal.is_working_day(d("2026-10-10")));
        assert!(!cal.is_working_day(d("2026-10-05")));
    }

    #[test]
    fn a_rejected_or_answered_consultation_cannot_be_answered_again() {
        let answered = ConsultStatus::Submitted
            .assign()
            .and_then(ConsultStatus::answer)
            .expect("answer");
        assert_eq!(answered, ConsultStatus::Answered);
        let twice = answered.answer().expect_err("second answer");
        assert!(twice.message.contains("已答复"));
        let rejected = ConsultStatus::Assigned.reject().expect("reject");
        assert!(rejected.answer().is_err());
        assert!(!rejected.is_open());
        assert_eq!(answered.close(), Ok(ConsultStatus::Closed));
    }
}
