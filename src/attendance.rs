//! Attendance on a list of people: a meeting's attendees (`meeting_people.attendance`) and the
//! members at a party activity (`party_attendance.attendance`) store the same codes and ask a
//! reason for an absence or a leave the same way. Pure code, shared by both features so the two
//! records and their printed sheets cannot drift apart.

/// How one person on an attendance list took part. Meetings (`meeting_people.attendance`) and
/// party activities (`party_attendance.attendance`) store the same codes; each offers its own
/// vocabulary of them ([`Attendance::MEETING`], [`Attendance::ACTIVITY`]: a party activity has no "expected":
/// a member not expected has no row), and both ask a reason for an absence or a leave the same way
/// ([`Attendance::read`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Attendance {
    /// Invited, not marked yet (a meeting's attendee before the meeting).
    Expected,
    Present,
    Absent,
    /// On leave (请假).
    Leave,
}

/// Why a typed attendance row was refused; each feature words it in its own locale keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowError {
    /// A code outside the vocabulary offered.
    Unknown,
    /// Absent or on leave without a reason.
    ReasonMissing,
    /// A reason longer than [`Attendance::REASON_MAX`] characters.
    ReasonTooLong,
}

impl Attendance {
    /// A meeting's vocabulary, in the order its form offers it.
    pub const MEETING: [Attendance; 4] = [
        Attendance::Expected,
        Attendance::Present,
        Attendance::Absent,
        Attendance::Leave,
    ];

    /// A party activity's vocabulary: a member not expected has no row at all.
    pub const ACTIVITY: [Attendance; 3] =
        [Attendance::Present, Attendance::Absent, Attendance::Leave];

    /// The longest reason kept, in characters.
    pub const REASON_MAX: usize = 100;

    pub fn code(self) -> &'static str {
        match self {
            Attendance::Expected => "expected",
            Attendance::Present => "present",
            Attendance::Absent => "absent",
            Attendance::Leave => "leave",
        }
    }

    /// A code of `vocabulary`, or None.
    pub fn parse_in(code: &str, vocabulary: &[Attendance]) -> Option<Attendance> {
        vocabulary.iter().copied().find(|a| a.code() == code)
    }

    /// Absent or on leave: the record (and the filed sheet) wants the reason.
    pub fn needs_reason(self) -> bool {
        matches!(self, Attendance::Absent | Attendance::Leave)
    }

    /// One typed row, trimmed and checked against `vocabulary`: the attendance and the reason,
    /// kept only where one is due (a reason typed beside "present" is dropped).
    pub fn read(
        code: &str,
        reason: &str,
        vocabulary: &[Attendance],
    ) -> Result<(Attendance, String), RowError> {
        let att = Attendance::parse_in(code.trim(), vocabulary).ok_or(RowError::Unknown)?;
        let reason = reason.trim();
        if att.needs_reason() && reason.is_empty() {
            return Err(RowError::ReasonMissing);
        }
        if reason.chars().count() > Attendance::REASON_MAX {
            return Err(RowError::ReasonTooLong);
        }
        let kept = if att.needs_reason() { reason } else { "" };
        Ok((att, kept.to_string()))
    }
}

/// Whether a stored attendance code wants a reason (absent, leave).
pub fn needs_reason(code: &str) -> bool {
    Attendance::parse_in(code, &Attendance::MEETING).is_some_and(Attendance::needs_reason)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn absence_needs_a_reason() {
        assert!(needs_reason("absent"));
        assert!(needs_reason("leave"));
        assert!(!needs_reason("present"));
        assert!(!needs_reason("expected"));
        assert!(!needs_reason("bogus"));
    }

    #[test]
    fn a_typed_row_is_read_against_its_vocabulary() {
        use Attendance::*;
        let m = &Attendance::MEETING;
        assert_eq!(
            Attendance::read(" leave ", " 病假 ", m),
            Ok((Leave, "病假".into()))
        );
        assert_eq!(
            Attendance::read("present", "ignored", m),
            Ok((Present, String::new()))
        );
        assert_eq!(
            Attendance::read("absent", " ", m),
            Err(RowError::ReasonMissing)
        );
        assert_eq!(Attendance::read("none", "", m), Err(RowError::Unknown));
        let long = "因".repeat(101);
        assert_eq!(
            Attendance::read("absent", &long, m),
            Err(RowError::ReasonTooLong)
        );
        // A party activity offers no "expected".
        assert_eq!(
            Attendance::read("expected", "", &Attendance::ACTIVITY),
            Err(RowError::Unknown)
        );
    }
}
