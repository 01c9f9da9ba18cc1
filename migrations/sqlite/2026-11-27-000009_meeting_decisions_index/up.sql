-- The latest decision per issue (the leader's week): MAX(meeting_id) per issue over its
-- non-removed lines with a deadline, read from this index alone. A long-open issue is carried
-- onto every huddle and weekly meeting, so it has hundreds of lines.
CREATE INDEX meeting_items_decisions ON meeting_items(issue_id, removed, meeting_id, deadline);
